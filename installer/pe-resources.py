#!/usr/bin/env python3
"""Prints a Windows executable's resource types and its version resource, one per line:

    types<TAB>3 14 16 24                 the resource types (3 icon, 14 icon group, 16 version, 24 manifest)
    FixedFileVersion<TAB>0.1.0.0         VS_FIXEDFILEINFO, the numbers Windows compares
    FixedProductVersion<TAB>0.1.0.0
    ProductName<TAB>ServiceBot           each StringFileInfo value (CompanyName, FileVersion, ...)

Reads the PE file itself (standard library only, nothing to install), so installer/check.sh can
check both executables without wine: `python3 installer/pe-resources.py ServiceBot.exe`.
"""

import struct
import sys

RT_VERSION = 16


def sections(pe):
    """The PE sections as (virtual size, virtual address, raw size, raw offset), and the
    resource directory's RVA."""
    (e_lfanew,) = struct.unpack_from("<I", pe, 0x3C)
    if pe[e_lfanew : e_lfanew + 4] != b"PE\0\0":
        raise SystemExit("not a PE file")
    coff = e_lfanew + 4
    count, optional_size = struct.unpack_from("<H12xH", pe, coff + 2)
    optional = coff + 20
    (magic,) = struct.unpack_from("<H", pe, optional)
    directories = optional + (112 if magic == 0x20B else 96)
    resource_rva, _ = struct.unpack_from("<II", pe, directories + 2 * 8)
    table = optional + optional_size
    found = [struct.unpack_from("<8xIIII", pe, table + 40 * i) for i in range(count)]
    return found, resource_rva


def offset_of(found, rva):
    for virtual_size, virtual_address, raw_size, raw_offset in found:
        if virtual_address <= rva < virtual_address + max(virtual_size, raw_size):
            return rva - virtual_address + raw_offset
    raise SystemExit(f"RVA {rva:#x} is in no section")


def entries(pe, base, directory):
    named, ids = struct.unpack_from("<HH", pe, base + directory + 12)
    for i in range(named + ids):
        name, target = struct.unpack_from("<II", pe, base + directory + 16 + 8 * i)
        yield name, target


def first_leaf(pe, base, target):
    """The (RVA, size) of the first data entry under a directory entry."""
    while target & 0x80000000:
        target = next(entries(pe, base, target & 0x7FFFFFFF))[1]
    return struct.unpack_from("<II", pe, base + target)


def align(position):
    return (position + 3) & ~3


def version_node(data, start):
    """One VS_VERSIONINFO / StringFileInfo / StringTable / String / Var node:
    (key, value bytes, children, type, length)."""
    length, value_length, kind = struct.unpack_from("<HHH", data, start)
    end = start + length
    position = start + 6
    key_end = position
    while data[key_end : key_end + 2] != b"\0\0":
        key_end += 2
    key = data[position:key_end].decode("utf-16-le")
    position = align(key_end + 2)
    if value_length == 0:  # a container (StringFileInfo, a string table): children only
        value = b""
    elif kind == 1:  # a string: its text runs to the node's end (compilers count its length
        value = data[position:end]  # in characters or in bytes)
        position = end
    else:
        value = data[position : position + value_length]
        position = align(position + value_length)
    children = []
    while position < end:
        child = version_node(data, position)
        if child[4] == 0:
            break
        children.append(child)
        position = align(position + child[4])
    return key, value, children, kind, length


def text(value):
    decoded = value.decode("utf-16-le", errors="replace")
    return decoded.split("\0", 1)[0]


def main():
    pe = open(sys.argv[1], "rb").read()
    found, resource_rva = sections(pe)
    if resource_rva == 0:
        print("types\t")
        return
    base = offset_of(found, resource_rva)
    types = dict(entries(pe, base, 0))
    print("types\t" + " ".join(str(t) for t in sorted(t for t in types if t < 0x80000000)))
    if RT_VERSION not in types:
        return
    rva, size = first_leaf(pe, base, types[RT_VERSION])
    data = pe[offset_of(found, rva) : offset_of(found, rva) + size]
    key, fixed, children, _, _ = version_node(data, 0)
    if key != "VS_VERSION_INFO":
        raise SystemExit(f"the version resource starts with {key!r}")
    signature, _, file_ms, file_ls, product_ms, product_ls = struct.unpack_from("<6I", fixed)
    if signature != 0xFEEF04BD:
        raise SystemExit("no VS_FIXEDFILEINFO")
    for name, high, low in (("FixedFileVersion", file_ms, file_ls), ("FixedProductVersion", product_ms, product_ls)):
        print(f"{name}\t{high >> 16}.{high & 0xFFFF}.{low >> 16}.{low & 0xFFFF}")
    for child_key, _, tables, _, _ in children:
        if child_key == "StringFileInfo":
            for _, _, strings, _, _ in tables:
                for name, value, _, _, _ in strings:
                    print(f"{name}\t{text(value)}")


if __name__ == "__main__":
    main()
