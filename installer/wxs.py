#!/usr/bin/env python3
"""installer/ServiceBot.wxs is a Handlebars template that Tauri's bundler renders on Windows
(bundle.windows.wix.template) and installer/build-msi.sh renders here for wixl. This script
renders it the way each of them does and checks that both describe one installation.

    wxs.py render --wixl KEY=VALUE...   the wixl source: build-msi.sh's variables; !(loc.X)
                                        becomes the placeholder TEXT_X (wixl has no .wxl)
    wxs.py render --tauri               the WiX source Tauri's bundler would write (main.wxs)
    wxs.py render --tauri-for-wixl KEY=VALUE...
                                        that source for wixl, to test upgrades under wine: file
                                        paths and version overridden, the UpgradeCode upper
                                        case (as WiX writes it), !(loc.X) as TEXT_X, and the
                                        two WiX 3 elements wixl cannot read left out (the
                                        component Condition, Environment; build-msi.sh adds
                                        their rows)
    wxs.py texts                        TEXT_X<TAB>text for each string of the .wxl
    wxs.py check-tauri WIXL.msi         the Tauri rendering against tauri.conf.json and
                                        against the MSI wixl built from the same template

The renderer implements the part of Handlebars the template uses ({{name}}, #if, #unless,
else, {{!-- comments --}}) and refuses anything else, so nothing renders here that Tauri's
handlebars would render differently. Rendering is strict: a {{name}} that the build does not
pass is an error (Tauri's handlebars would silently write nothing).
"""

import json
import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "installer" / "ServiceBot.wxs"
TEXTS = ROOT / "installer" / "ServiceBot.ru-RU.wxl"
CONF = ROOT / "src-tauri" / "tauri.conf.json"
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"
TOKEN = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME = r"[a-z_][a-z0-9_]*"


def fail(message):
    raise SystemExit(f"wxs.py: FAILED: {message}")


def parse(template):
    """The template as a tree: str, ("var", name), ("block", kind, name, then, otherwise)."""
    if "\\{{" in template or "{{{" in template or "{{~" in template or "~}}" in template:
        fail("the template uses Handlebars syntax this renderer does not implement")
    root = []
    stack = [(None, None, root, None)]
    position = 0
    for match in TOKEN.finditer(template):
        stack[-1][2].append(template[position : match.start()])
        position = match.end()
        tag = match.group(1).strip()
        if tag.startswith("!"):
            continue
        if m := re.fullmatch(rf"#(if|unless) ({NAME})", tag):
            block = ["block", m.group(1), m.group(2), [], []]
            stack[-1][2].append(block)
            stack.append((m.group(1), m.group(2), block[3], block))
        elif tag == "else" and len(stack) > 1:
            kind, name, _, block = stack.pop()
            stack.append((kind, name, block[4], block))
        elif m := re.fullmatch(rf"/(if|unless)", tag):
            if len(stack) == 1 or stack[-1][0] != m.group(1):
                fail(f"unbalanced {{{{{tag}}}}}")
            stack.pop()
        elif re.fullmatch(NAME, tag):
            stack[-1][2].append(("var", tag))
        else:
            fail(f"unsupported {{{{{tag}}}}}")
    if len(stack) != 1:
        fail(f"{{{{#{stack[-1][0]} {stack[-1][1]}}}}} is never closed")
    root.append(template[position:])
    return root


def truthy(value):
    # Handlebars: false, null, "", [] (and 0) are false.
    return value not in (None, False, "", [], 0)


def render(nodes, data, who):
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "var":
            if node[1] not in data:
                fail(f"the template writes {{{{{node[1]}}}}}, which {who} does not pass")
            out.append(str(data[node[1]]))
        else:
            _, kind, name, then, otherwise = node
            taken = truthy(data.get(name)) == (kind == "if")
            out.append(render(then if taken else otherwise, data, who))
    return "".join(out)


def conf():
    return json.loads(CONF.read_text(encoding="utf-8"))


def workspace_version():
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1]
    return re.search(r'^version\s*=\s*"([^"]+)"', section, re.M).group(1)


def tauri_variables():
    """What tauri-bundler 2 (bundle/windows/msi) passes to the template for this config, with
    Windows paths of a typical `cargo tauri build` in C:\\build."""
    c = conf()
    bundle = c["bundle"]
    wix = bundle["windows"]["wix"]
    version = wix.get("version") or c.get("version") or workspace_version()
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        fail(f"version {version}: Tauri would turn it into major.minor.patch.build; check by hand")
    identifier = c["identifier"]
    namespace = uuid.UUID(bytes=bytes.fromhex("fd8595a817a3474ea61676148dfa0c7b"))
    package_guid = str(uuid.uuid5(namespace, identifier))
    target = "C:\\build\\target\\release"
    return {
        "product_name": c["productName"],
        "version": version,
        "long_description": "",
        "homepage": None,
        "bundle_id": identifier,
        "manufacturer": bundle.get("publisher") or identifier.split(".")[1],
        "upgrade_code": str(uuid.UUID(wix["upgradeCode"])),
        "allow_downgrades": bundle["windows"].get("allowDowngrades", True),
        "path_component_guid": package_guid,
        "shortcut_guid": package_guid,
        "binaries": [],
        "resources": "",
        "resource_file_ids": [],
        "merge_modules": [],
        "main_binary_name": c.get("mainBinaryName", c["productName"]),
        "main_binary_path": f"{target}\\{c.get('mainBinaryName', c['productName'])}.exe",
        "icon_path": f"{target}\\resources\\icon.ico",
        "install_webview": True,
        "download_bootstrapper": True,
        "webview_installer_args": "&apos;/silent&apos;,",
        "component_group_refs": [],
        "component_refs": [],
        "feature_group_refs": [],
        "feature_refs": [],
        "merge_refs": [],
    }


def texts():
    tree = ET.parse(TEXTS).getroot()
    ns = "{http://schemas.microsoft.com/wix/2006/localization}"
    return {s.get("Id"): s.text for s in tree.iter(ns + "String")}


def render_tauri():
    return render(parse(TEMPLATE.read_text(encoding="utf-8")), tauri_variables(), "Tauri's bundler")


def render_wixl(assignments):
    data = dict(a.split("=", 1) for a in assignments)
    data["wixl"] = True
    text = render(parse(TEMPLATE.read_text(encoding="utf-8")), data, "build-msi.sh")
    known = texts()
    for name in re.findall(r"!\(loc\.(\w+)\)", text):
        if name not in known:
            fail(f"!(loc.{name}) is not in {TEXTS.name}")
    return re.sub(r"!\(loc\.(\w+)\)", r"TEXT_\1", text)


def render_tauri_for_wixl(assignments):
    data = tauri_variables()
    data.update(a.split("=", 1) for a in assignments)
    data["upgrade_code"] = data["upgrade_code"].upper()
    text = render(parse(TEMPLATE.read_text(encoding="utf-8")), data, "Tauri's bundler")
    text = re.sub(r"\s*<Condition>[^<]*</Condition>", "", text)
    text = re.sub(r"\s*<Environment [^>]*/>", "", text)
    return re.sub(r"!\(loc\.(\w+)\)", r"TEXT_\1", text)


def msi_table(msi, table):
    exported = subprocess.run(["msiinfo", "export", str(msi), table], check=True,
                              capture_output=True).stdout.decode("utf-8")
    lines = exported.replace("\r", "").split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"))) for line in lines[3:] if line]


def long_name(name):
    return name.split("|")[-1]


def check_tauri(msi):
    c = conf()
    wix_conf = c["bundle"]["windows"]["wix"]
    checked = []

    def expect(condition, message):
        if not condition:
            fail(message)

    # tauri.conf.json points Tauri's bundler at this template and these texts.
    expect((ROOT / "src-tauri" / wix_conf.get("template", "")).resolve() == TEMPLATE,
           "bundle.windows.wix.template is not ../installer/ServiceBot.wxs")
    languages = wix_conf.get("language")
    expect(isinstance(languages, dict) and list(languages) == ["ru-RU"]
           and (ROOT / "src-tauri" / languages["ru-RU"]["localePath"]).resolve() == TEXTS,
           "bundle.windows.wix.language is not ru-RU with ../installer/ServiceBot.ru-RU.wxl")
    expect(ET.parse(TEXTS).getroot().get("Culture") == "ru-ru", "the .wxl culture is not ru-ru")
    expect(c.get("version", workspace_version()) == workspace_version(),
           f"tauri.conf.json's version {c.get('version')} is not the workspace's {workspace_version()}")
    checked.append("tauri.conf.json names the template, the ru-RU texts and the workspace version")

    text = render_tauri()
    expect("{{" not in text and "}}" not in text, "mustaches left in the rendering")
    instructions = re.findall(r"<\?(\w+)([^?]*)\?>", text)
    expect([i for i in instructions if i[0] not in ("xml", "ifdef", "endif")] == [],
           f"unexpected preprocessor instructions: {instructions}")
    try:
        product = ET.fromstring(text.encode("utf-8")).find(WIX + "Product")
    except ET.ParseError as error:
        fail(f"the Tauri rendering is not well-formed XML: {error}")
    loc = texts()
    for name in re.findall(r"!\(loc\.(\w+)\)", text):
        expect(name in loc, f"!(loc.{name}) is not in {TEXTS.name}")

    def resolve(value):
        return re.sub(r"!\(loc\.(\w+)\)", lambda m: loc[m.group(1)], value or "")

    properties = {row["Property"]: row["Value"] for row in msi_table(msi, "Property")}
    expect(product.get("Id") == "*", "Product/@Id is not * (Tauri: a new ProductCode per build)")
    expect(product.get("Name") == properties["ProductName"] == c["productName"], "product names differ")
    expect(product.get("UpgradeCode").upper() == properties["UpgradeCode"].strip("{}")
           == wix_conf["upgradeCode"].upper(), "UpgradeCodes differ")
    expect(product.get("Version") == properties["ProductVersion"], "versions differ")
    expect(product.get("Manufacturer") == properties["Manufacturer"], "manufacturers differ")
    package = product.find(WIX + "Package")
    expect(package.get("InstallScope") == "perUser", "the Tauri MSI is not per user")
    xml_properties = {p.get("Id"): resolve(p.get("Value")) for p in product.iter(WIX + "Property")
                      if p.get("Value") is not None}
    expect("ALLUSERS" not in xml_properties and "ALLUSERS" not in properties, "ALLUSERS is set")
    for name, value in xml_properties.items():
        expect(properties.get(name) == value, f"property {name}: {value!r} vs the MSI's {properties.get(name)!r}")
    searched = {row["Property"] for row in msi_table(msi, "AppSearch")}
    expect({p.get("Id") for p in product.iter(WIX + "Property") if p.find(WIX + "RegistrySearch") is not None}
           == searched, "the registry searches differ")
    checked.append(f"{c['productName']} {product.get('Version')}, UpgradeCode {product.get('UpgradeCode')}, "
                   "per user, no ALLUSERS, the same properties and searches")

    # The folders, as Directory rows (the standard folders have no Name: ".").
    def directories(element, parent):
        for d in element.findall(WIX + "Directory"):
            yield (d.get("Id"), parent, d.get("Name") or ".")
            yield from directories(d, d.get("Id"))
    xml_dirs = set(directories(product, ""))
    msi_dirs = {(r["Directory"], r["Directory_Parent"], long_name(r["DefaultDir"]))
                for r in msi_table(msi, "Directory")}
    expect(xml_dirs == msi_dirs, f"folders differ: {sorted(xml_dirs ^ msi_dirs)}")
    checked.append("the same folders (%LOCALAPPDATA%\\Programs\\ServiceBot, bin, the Start menu)")

    # The components: GUID, folder, files, registry values (key paths among them), condition.
    def registry(value):
        kind = value.get("Type")
        data = value.get("Value")
        return ({"HKCU": "1", "HKLM": "2"}[value.get("Root")], value.get("Key"), value.get("Name"),
                "#" + data if kind == "integer" else data)
    parents = {}
    for d in product.iter(WIX + "Directory"):
        for component in d.findall(WIX + "Component"):
            parents[component.get("Id")] = d.get("Id")
    xml_components = {}
    for component in product.iter(WIX + "Component"):
        condition = component.find(WIX + "Condition")
        xml_components[component.get("Id")] = (
            component.get("Guid").upper(), parents[component.get("Id")],
            sorted(f.get("Name") for f in component.findall(WIX + "File")),
            sorted(registry(v) for v in component.findall(WIX + "RegistryValue")),
            condition.text if condition is not None else "",
        )
    files, values = {}, {}
    for row in msi_table(msi, "File"):
        files.setdefault(row["Component_"], []).append(long_name(row["FileName"]))
    for row in msi_table(msi, "Registry"):
        values.setdefault(row["Component_"], []).append((row["Root"], row["Key"], row["Name"], row["Value"]))
    msi_components = {
        row["Component"]: (row["ComponentId"].strip("{}").upper(), row["Directory_"],
                           sorted(files.get(row["Component"], [])), sorted(values.get(row["Component"], [])),
                           row["Condition"])
        for row in msi_table(msi, "Component")
    }
    # WebView2Loader.dll is the windows-gnu build's alone (MSVC links the loader in).
    msi_components.pop("WebView2Loader", None)
    for name in sorted(set(xml_components) | set(msi_components)):
        expect(xml_components.get(name) == msi_components.get(name),
               f"component {name}: Tauri {xml_components.get(name)} vs wixl {msi_components.get(name)}")
    checked.append("the same components: GUIDs, files, registry values (the Run value ServiceBot), "
                   "the autostart condition")

    shortcuts = [(s.get("Id"), s.get("Name"), resolve(s.get("Description")), s.get("Target"),
                  s.get("WorkingDirectory")) for s in product.iter(WIX + "Shortcut")]
    expect(shortcuts == [(r["Shortcut"], long_name(r["Name"]), r["Description"], r["Target"], r["WkDir"])
                         for r in msi_table(msi, "Shortcut")], "the shortcuts differ")
    # WiX writes Environment as =-Name (set, removed on uninstall) and [~];Value (appended).
    environment = [("=-" + e.get("Name"), "[~];" + e.get("Value")) for e in product.iter(WIX + "Environment")
                   if (e.get("Action"), e.get("Part"), e.get("System"), e.get("Permanent")) == ("set", "last", "no", "no")]
    expect(environment == [(r["Name"], r["Value"]) for r in msi_table(msi, "Environment")],
           "the PATH entries differ")
    conditions = {(resolve(x.get("Message")), x.text) for x in product.findall(WIX + "Condition")}
    msi_conditions = {(r["Description"], r["Condition"]) for r in msi_table(msi, "LaunchCondition")}
    expect(conditions <= msi_conditions and len(msi_conditions - conditions) == 1
           and resolve(product.find(WIX + "MajorUpgrade").get("DowngradeErrorMessage"))
           in {d for d, _ in msi_conditions - conditions}, "the launch conditions differ")
    checked.append("the same Start-menu shortcut, PATH entry, WebView2 and downgrade conditions and texts")
    for line in checked:
        print(f"ok: Tauri's rendering of ServiceBot.wxs: {line}")


def main():
    command, option, rest = (sys.argv[1:] + ["", ""])[0], (sys.argv[2:] + [""])[0], sys.argv[3:]
    if command == "render" and option == "--wixl":
        sys.stdout.write(render_wixl(rest))
    elif command == "render" and option == "--tauri-for-wixl":
        sys.stdout.write(render_tauri_for_wixl(rest))
    elif sys.argv[1:] == ["render", "--tauri"]:
        sys.stdout.write(render_tauri())
    elif sys.argv[1:] == ["texts"]:
        for name, text in texts().items():
            print(f"TEXT_{name}\t{text}")
    elif command == "check-tauri" and option and not rest:
        check_tauri(option)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
