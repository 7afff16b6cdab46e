"""The part of a lead: the same function as `leadscore partition` (docs/scale-out.md)."""


def part_of(lead_id: str, parts: int) -> int:
    """FNV-1a 64-bit over the UTF-8 bytes of the id without leading/trailing spaces and tabs, mod parts."""
    h = 0xCBF29CE484222325
    for byte in lead_id.strip(" \t").encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % parts
