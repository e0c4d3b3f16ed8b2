// Пользователи and Заказ-наряды are built in the next issue; until then they say where to go.
import { useT } from '../i18n';
import type { PageId } from './index';

export function ComingNext({ page }: { page: PageId }) {
  const t = useT();
  return (
    <section class="page" data-page={page}>
      <h1 class="page-title">{t(`ui-nav-${page}`)}</h1>
      <p class="notice">{t('ui-coming-next')}</p>
    </section>
  );
}
