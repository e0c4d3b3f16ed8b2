// The window's pages, in navigation order. A page is one module under pages/; adding one is a
// line here (its label id is `ui-nav-<id>`, its nav button `nav-<id>`, its root `data-page=<id>`).
export type PageId = 'status' | 'settings' | 'users' | 'orders';

export const PAGES: readonly PageId[] = ['status', 'settings', 'users', 'orders'];
