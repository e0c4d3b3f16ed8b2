// The stages editor: one row per stage folder, in the order staff pick them in Telegram.
import type { JSX } from 'preact';
import { inputProps, FieldError } from '../../components/field';
import { useT } from '../../i18n';
import { stageKey, type EditStage } from './form';

type Props = {
  stages: EditStage[];
  errorFor: (field: string) => string | undefined;
  onChange: (stages: EditStage[]) => void;
};

export function StagesEditor({ stages, errorFor, onChange }: Props) {
  const t = useT();

  const patch = (index: number, change: Partial<EditStage>) =>
    onChange(stages.map((stage, i) => (i === index ? { ...stage, ...change } : stage)));

  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    if (to < 0 || to >= stages.length) return;
    const next = stages.slice();
    [next[index], next[to]] = [next[to]!, next[index]!];
    onChange(next);
  };

  // Showing an internal stage to clients would send them every file staff put there (the
  // "Внутреннее" stage holds notes not meant for them), so going hidden → visible asks first.
  const setVisible = (index: number, event: JSX.TargetedEvent<HTMLInputElement>) => {
    const stage = stages[index]!;
    const visible = event.currentTarget.checked;
    if (visible && !stage.client_visible) {
      if (!window.confirm(t('ui-settings-stage-visible-warning', { title: stage.title }))) {
        // The state did not change, so nothing re-renders: undo the browser's tick by hand.
        event.currentTarget.checked = false;
        return;
      }
    }
    // Approval only makes sense where the client sees the files; hiding a stage drops it
    // (its checkbox is disabled then, so the user could not untick it any more).
    patch(index, visible ? { client_visible: true } : { client_visible: false, approval: false });
  };

  return (
    <div class="stages">
      <table class="stage-table">
        <thead>
          <tr>
            <th class="col-n">#</th>
            <th>{t('ui-settings-stage-title')}</th>
            <th>{t('ui-settings-stage-folder')}</th>
            <th class="col-check">{t('ui-settings-stage-visible')}</th>
            <th class="col-check">{t('ui-settings-stage-approval')}</th>
            <th class="col-buttons" />
          </tr>
        </thead>
        <tbody>
          {stages.map((stage, i) => {
            const f = (name: string) => `stages[${i}].${name}`;
            return (
              <tr key={stage.key} data-testid="stage-row">
                <td class="col-n">{i + 1}</td>
                <td>
                  <input
                    type="text"
                    {...inputProps(f('title'), errorFor(f('title')))}
                    aria-label={t('ui-settings-stage-title')}
                    value={stage.title}
                    onInput={(e) => patch(i, { title: e.currentTarget.value })}
                  />
                  <FieldError field={f('title')} message={errorFor(f('title'))} />
                </td>
                <td>
                  <input
                    type="text"
                    spellcheck={false}
                    {...inputProps(f('folder'), errorFor(f('folder')))}
                    aria-label={t('ui-settings-stage-folder')}
                    value={stage.folder}
                    onInput={(e) => patch(i, { folder: e.currentTarget.value })}
                  />
                  <FieldError field={f('folder')} message={errorFor(f('folder'))} />
                </td>
                <td class="col-check">
                  <input
                    type="checkbox"
                    {...inputProps(f('client_visible'), errorFor(f('client_visible')))}
                    aria-label={t('ui-settings-stage-visible')}
                    checked={stage.client_visible}
                    onChange={(e) => setVisible(i, e)}
                  />
                  <FieldError field={f('client_visible')} message={errorFor(f('client_visible'))} />
                </td>
                <td class="col-check">
                  <input
                    type="checkbox"
                    {...inputProps(f('approval'), errorFor(f('approval')))}
                    aria-label={t('ui-settings-stage-approval')}
                    checked={stage.approval}
                    disabled={!stage.client_visible}
                    onChange={(e) => patch(i, { approval: e.currentTarget.checked })}
                  />
                  <FieldError field={f('approval')} message={errorFor(f('approval'))} />
                </td>
                <td class="col-buttons">
                  <button type="button" class="small" data-testid="stage-up" disabled={i === 0} onClick={() => move(i, -1)}>
                    {t('ui-settings-stage-up')}
                  </button>
                  <button
                    type="button"
                    class="small"
                    data-testid="stage-down"
                    disabled={i === stages.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    {t('ui-settings-stage-down')}
                  </button>
                  <button
                    type="button"
                    class="small danger"
                    data-testid="stage-remove"
                    onClick={() => onChange(stages.filter((_, j) => j !== i))}
                  >
                    {t('ui-settings-stage-remove')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError field="stages" message={errorFor('stages')} />
      <button
        type="button"
        data-testid="stage-add"
        onClick={() =>
          // A new stage starts internal: showing it to clients is a deliberate second step.
          onChange([...stages, { key: stageKey(), title: '', folder: '', client_visible: false, approval: false }])
        }
      >
        {t('ui-settings-stage-add')}
      </button>
    </div>
  );
}
