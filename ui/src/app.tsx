// The window: a left navigation and one page. The app loads the label catalog, the status and
// the settings once, keeps the status current from the shell's pushes, and marks the body
// `data-ready` for the end-to-end tests once the first page can be shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from './api';
import type { CommandError, SettingsView, StatusDto } from './bindings';
import { ErrorBox } from './components/error-box';
import { toCommandError } from './errors';
import { makeT, TextsContext, type Translate } from './i18n';
import { PAGES, type PageId } from './pages';
import { OrdersPage } from './pages/orders';
import { SettingsPage } from './pages/settings';
import { StatusPage } from './pages/status';
import { UsersPage } from './pages/users';

type Loaded = { t: Translate; status: StatusDto; settings: SettingsView };

/** The first page: Настройки while the bot still lacks what it needs, else Состояние. */
export const firstPage = (settings: SettingsView): PageId =>
  settings.first_run || settings.missing.length > 0 ? 'settings' : 'status';

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const [page, setPage] = useState<PageId>('status');
  const [openOrder, setOpenOrder] = useState<string | null>(null);
  // An order opened for a clicked notification before the window finished loading keeps its
  // page: loading then does not switch to the first page.
  const alertShown = useRef(false);
  const showOrder = (folder: string) => {
    setOpenOrder(folder);
    setPage('orders');
  };

  // A click on a notification about a waiting client brings the window up (or opens it):
  // the window then opens that order.
  useEffect(() => {
    const takeAlert = () =>
      void api.takeAlertOrder().then(
        (folder) => {
          if (folder) {
            alertShown.current = true;
            showOrder(folder);
          }
        },
        () => {},
      );
    // Listening first, then asking: a click between the two is not lost.
    const unlisten = api.onBroughtUp(takeAlert);
    void unlisten.then(takeAlert, takeAlert);
    return () => void unlisten.then((stop) => stop());
  }, []);

  useEffect(() => {
    let pushed: StatusDto | null = null;
    let apply: (status: StatusDto) => void = (status) => {
      pushed = status;
    };
    // Listen before asking, so a change between the answer and the subscription is not lost;
    // a push that beats the answer is newer than it and wins.
    const unlisten = api.onStatusChanged((status) => apply(status));
    (async () => {
      try {
        const [texts, status, settings] = await Promise.all([api.uiTexts(), api.getStatus(), api.getSettings()]);
        document.documentElement.lang = texts.language;
        const t = makeT(texts.labels);
        document.title = t('ui-app-title');
        if (!alertShown.current) setPage(firstPage(settings));
        setLoaded({ t, status: pushed ?? status, settings });
        apply = (next) => setLoaded((l) => (l ? { ...l, status: next } : l));
      } catch (e) {
        // Without the catalog there are no words to say it with; the message comes from Rust.
        setFailure(toCommandError(e, 'ServiceBot'));
      }
    })();
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, []);

  useEffect(() => {
    if (loaded) document.body.dataset.ready = 'true';
  }, [loaded]);

  if (failure) return <ErrorBox error={failure} />;
  if (!loaded) return null;

  const { t, status, settings } = loaded;
  return (
    <TextsContext.Provider value={t}>
      <div class="shell">
        <nav class="nav" aria-label={t('ui-app-title')}>
          <div class="brand">{t('ui-app-title')}</div>
          <ul>
            {PAGES.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  data-testid={`nav-${id}`}
                  class={id === page ? 'active' : ''}
                  aria-current={id === page ? 'page' : undefined}
                  onClick={() => {
                    if (id === 'orders') setOpenOrder(null);
                    setPage(id);
                  }}
                >
                  {t(`ui-nav-${id}`)}
                </button>
              </li>
            ))}
          </ul>
          {/* The bot's state stays in sight on every page, like the tray icon. */}
          <div class="nav-status" title={status.tooltip}>
            <span class={`dot small dot-${status.bot_state}`} aria-hidden="true" />
            <span>{status.headline}</span>
          </div>
        </nav>
        <main class="content">
          {page === 'status' && (
            <StatusPage status={status} onOpenSettings={() => setPage('settings')} onOpenOrder={showOrder} />
          )}
          <SettingsPage
            visible={page === 'settings'}
            view={settings}
            onSaved={(view) => {
              setLoaded((l) => (l ? { ...l, settings: view } : l));
              // A new language: the labels come again, in it.
              if (view.language !== settings.language) {
                void api.uiTexts().then(
                  (texts) => {
                    document.documentElement.lang = texts.language;
                    setLoaded((l) => (l ? { ...l, t: makeT(texts.labels) } : l));
                  },
                  () => {},
                );
              }
            }}
          />
          {page === 'users' && <UsersPage />}
          {page === 'orders' && <OrdersPage open={openOrder} onOpen={setOpenOrder} />}
        </main>
      </div>
    </TextsContext.Provider>
  );
}
