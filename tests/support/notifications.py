# A desktop notification server for the GUI tests (the Desktop Notifications Specification on
# the test's D-Bus session), standing in for the one a desktop runs. It prints each notification
# it is sent and clicks it at once, as a user would: for a notification that offers the
# `default` action (a click on its body) it sends `ActionInvoked(id, "default")`.
# Usage: python3 notifications.py  (DBUS_SESSION_BUS_ADDRESS names the bus)
import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.Notifications"


class Server(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.last_id = 0

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        self.last_id += 1
        nid = self.last_id
        keys = [str(key) for key in list(actions)[::2]]
        clickable = "default" in keys
        print(f"notify {nid} clickable={clickable} {summary} | {body}", flush=True)
        if clickable:
            GLib.timeout_add(300, self.click, nid)
        return dbus.UInt32(nid)

    def click(self, nid):
        print(f"clicked {nid}", flush=True)
        self.ActionInvoked(dbus.UInt32(nid), "default")
        return False

    @dbus.service.method(IFACE, out_signature="as")
    def GetCapabilities(self):
        return ["actions", "body"]

    @dbus.service.method(IFACE, out_signature="ssss")
    def GetServerInformation(self):
        return ("servicebot-tests", "servicebot", "1", "1.2")

    @dbus.service.method(IFACE, in_signature="u")
    def CloseNotification(self, nid):
        self.NotificationClosed(nid, dbus.UInt32(3))

    @dbus.service.signal(IFACE, signature="us")
    def ActionInvoked(self, nid, key):
        pass

    @dbus.service.signal(IFACE, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
server = Server(bus)
name = dbus.service.BusName(IFACE, bus)
print("ready", flush=True)
GLib.MainLoop().run()
