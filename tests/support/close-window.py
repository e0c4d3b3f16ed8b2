"""Asks the X window named argv[2] on display argv[1] to close, exactly as a window manager
does when the user clicks its close button: a WM_DELETE_WINDOW client message. (WebDriver's
own "close window" ends the session and with it the app, which is not what a user does.)
Uses Debian's python3-xlib; prints `asked=N`, how many windows were asked."""

import sys

from Xlib import X, display, error, protocol

screen = display.Display(sys.argv[1])
root = screen.screen().root
delete = screen.intern_atom("WM_DELETE_WINDOW")
protocols = screen.intern_atom("WM_PROTOCOLS")


def windows(parent):
    try:
        children = parent.query_tree().children
    except error.XError:  # gone while we looked
        return
    for child in children:
        yield child
        yield from windows(child)


net_name = screen.intern_atom("_NET_WM_NAME")
utf8 = screen.intern_atom("UTF8_STRING")


def name_of(window):
    """The window's title: _NET_WM_NAME (UTF-8, what GTK sets) or the older WM_NAME."""
    try:
        return title_of(window)
    except error.XError:  # gone while we looked
        return None


def title_of(window):
    prop = window.get_full_property(net_name, utf8)
    if prop is not None:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    return name.decode("latin-1") if isinstance(name, bytes) else name


# Every match first, then the messages: a window asked to close may vanish at once.
matches = [window for window in windows(root) if name_of(window) == sys.argv[2]]
for window in matches:
    message = protocol.event.ClientMessage(
        window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
    )
    window.send_event(message)
screen.flush()
asked = len(matches)
print(f"asked={asked}")
if not asked:
    names = sorted({str(name_of(w)) for w in windows(root)})
    print(f"no window named {sys.argv[2]!r} on {sys.argv[1]}; names: {names}")
