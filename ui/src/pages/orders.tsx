// Заказ-наряды: search, calendar, order detail with transcript — the next issue.
import { ComingNext } from './coming-next';

export function OrdersPage() {
  return <ComingNext page="orders" />;
}
