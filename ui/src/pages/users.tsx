// Пользователи: a searchable, paginated table with inline edits of the display name, level and
// access. Every change goes through the Rust side's one set of user rules (the last active
// admin stays; the refusal comes back as a CommandError and is shown as it is). On a fresh
// install the page first offers to appoint the first admin.
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api';
import type { CommandError, UserEdit, UserRow, UsersPageDto } from '../bindings';
import { ErrorBox } from '../components/error-box';
import { toCommandError } from '../errors';
import { formatDateTime } from '../format';
import { useT } from '../i18n';

export const USERS_PAGE_SIZE = 25;

export function UsersPage() {
  const t = useT();
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<UsersPageDto | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    // A short pause after each keystroke, so typing a name is one query, not one per letter.
    const timer = setTimeout(() => {
      api.usersPage(query, offset, USERS_PAGE_SIZE).then(
        (answer) => current && setPage(answer),
        (e) => current && setError(toCommandError(e, t('ui-error-unexpected'))),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, offset, reload]);

  const apply = async (user: UserRow, edit: UserEdit) => {
    setError(null);
    setSaved(null);
    try {
      const changed = await api.editUser(user.telegram_id, edit);
      setSaved(t('ui-users-changed', { name: changed.display_name ?? changed.telegram_name }));
      setPage((p) => p && { ...p, users: p.users.map((u) => (u.telegram_id === changed.telegram_id ? changed : u)) });
    } catch (e) {
      setError(toCommandError(e, t('ui-error-unexpected')));
    }
  };

  const appoint = async (who: string) => {
    setError(null);
    try {
      const admin = await api.appointAdmin(who);
      setSaved(t('ui-users-changed', { name: admin.display_name ?? admin.telegram_name }));
      setReload((n) => n + 1);
    } catch (e) {
      setError(toCommandError(e, t('ui-error-unexpected')));
    }
  };

  const total = page?.total ?? 0;
  return (
    <section class="page page-users" data-page="users">
      <h1 class="page-title">{t('ui-nav-users')}</h1>
      {page?.needs_first_admin && <FirstAdmin onAppoint={appoint} />}
      <div class="toolbar">
        <input
          type="text"
          class="search"
          data-field="users-search"
          placeholder={t('ui-users-search')}
          aria-label={t('ui-users-search')}
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setOffset(0);
          }}
        />
        <span class="muted" data-testid="users-total">{t('ui-users-count', { count: total })}</span>
      </div>
      {error && <ErrorBox error={error} />}
      {saved && !error && <p class="banner ok" data-testid="users-saved">{saved}</p>}
      <p class="hint">{t('ui-users-effect-hint')}</p>
      {page && page.users.length === 0 && <p class="notice">{t('ui-users-none')}</p>}
      {page && page.users.length > 0 && (
        <table class="table users-table">
          <thead>
            <tr>
              <th>{t('ui-users-col-name')}</th>
              <th>{t('ui-users-col-telegram')}</th>
              <th>{t('ui-users-col-phone')}</th>
              <th>{t('ui-users-col-level')}</th>
              <th>{t('ui-users-col-active')}</th>
              <th>{t('ui-users-col-last-seen')}</th>
            </tr>
          </thead>
          <tbody>
            {page.users.map((user) => (
              <UserLine
                key={user.telegram_id}
                user={user}
                firstAdmin={page.needs_first_admin}
                onEdit={(edit) => apply(user, edit)}
              />
            ))}
          </tbody>
        </table>
      )}
      {total > USERS_PAGE_SIZE && (
        <div class="pager">
          <button type="button" data-testid="users-prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - USERS_PAGE_SIZE))}>
            {t('ui-users-prev')}
          </button>
          <span data-testid="users-range">
            {t('ui-users-page', { from: offset + 1, to: Math.min(total, offset + USERS_PAGE_SIZE), total })}
          </span>
          <button type="button" data-testid="users-next" disabled={offset + USERS_PAGE_SIZE >= total} onClick={() => setOffset(offset + USERS_PAGE_SIZE)}>
            {t('ui-users-next')}
          </button>
        </div>
      )}
    </section>
  );
}

function FirstAdmin({ onAppoint }: { onAppoint: (who: string) => void }) {
  const t = useT();
  const [who, setWho] = useState('');
  return (
    <div class="card first-admin" data-testid="first-admin">
      <h2>{t('ui-users-first-admin-title')}</h2>
      <p>{t('ui-users-first-admin-text')}</p>
      <div class="input-row">
        <input
          type="text"
          data-field="first-admin-who"
          placeholder={t('ui-users-first-admin-who')}
          aria-label={t('ui-users-first-admin-who')}
          value={who}
          onInput={(e) => setWho(e.currentTarget.value)}
        />
        <button type="button" class="primary" data-testid="first-admin-appoint" disabled={!who.trim()} onClick={() => onAppoint(who)}>
          {t('ui-users-first-admin-appoint')}
        </button>
      </div>
    </div>
  );
}

function UserLine({ user, firstAdmin, onEdit }: { user: UserRow; firstAdmin: boolean; onEdit: (edit: UserEdit) => void }) {
  const t = useT();
  const [renaming, setRenaming] = useState<string | null>(null);
  const id = user.telegram_id;
  const none: UserEdit = { display_name: null, level: null, active: null };
  return (
    <tr data-user={id} class={user.active ? '' : 'inactive'}>
      <td>
        {renaming === null ? (
          <>
            <span data-testid={`user-name-${id}`}>{user.display_name ?? user.telegram_name}</span>{' '}
            <button type="button" class="small link" data-testid={`user-rename-${id}`} onClick={() => setRenaming(user.display_name ?? user.telegram_name)}>
              {t('ui-users-rename')}
            </button>
          </>
        ) : (
          <form
            class="input-row"
            onSubmit={(e) => {
              e.preventDefault();
              onEdit({ ...none, display_name: renaming });
              setRenaming(null);
            }}
          >
            <input type="text" data-field={`user-name-${id}`} value={renaming} onInput={(e) => setRenaming(e.currentTarget.value)} />
            <button type="submit" class="small primary" data-testid={`user-rename-save-${id}`}>{t('ui-users-save')}</button>
            <button type="button" class="small" onClick={() => setRenaming(null)}>{t('ui-users-cancel')}</button>
          </form>
        )}
      </td>
      <td>
        {user.telegram_name}
        {user.username && <div class="muted">@{user.username}</div>}
      </td>
      <td class="nowrap">{user.phone ?? '—'}</td>
      <td>
        <select
          data-field={`user-level-${id}`}
          aria-label={t('ui-users-col-level')}
          value={String(user.level)}
          onChange={(e) => onEdit({ ...none, level: Number(e.currentTarget.value) })}
        >
          {[1, 2, 3].map((level) => (
            <option key={level} value={String(level)}>{t(`ui-users-level-${level}`)}</option>
          ))}
        </select>
        {firstAdmin && (
          <button type="button" class="small primary" data-testid={`user-make-admin-${id}`} onClick={() => onEdit({ ...none, level: 1 })}>
            {t('ui-users-make-admin')}
          </button>
        )}
      </td>
      <td>
        <div class={user.active ? 'ok-text' : 'error-text'} data-testid={`user-active-${id}`}>
          {user.active ? t('ui-users-active') : t('ui-users-blocked')}
        </div>
        <button type="button" class={`small ${user.active ? 'danger' : ''}`} data-testid={`user-toggle-${id}`} onClick={() => onEdit({ ...none, active: !user.active })}>
          {user.active ? t('ui-users-block') : t('ui-users-unblock')}
        </button>
        {user.blocked_bot && <div class="muted">{t('ui-users-blocked-bot')}</div>}
      </td>
      <td class="nowrap muted">{user.last_seen ? formatDateTime(user.last_seen) : '—'}</td>
    </tr>
  );
}
