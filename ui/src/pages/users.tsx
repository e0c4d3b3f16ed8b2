// Пользователи: search, edit name, level, active, promote the first admin — the next issue.
import { ComingNext } from './coming-next';

export function UsersPage() {
  return <ComingNext page="users" />;
}
