using Microsoft.Build.Framework;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Reads mapping-shaped Pungi options given as items (DESIGN.md §3): the item's Include is the value, <c>Variant</c> a
/// regex matched as Pungi matches it (default <c>^.*$</c>) and <c>Arch</c> an arch or <c>*</c> (never matching src).
/// </summary>
internal static class ConfigItems
{
    public static List<VariantArchValue<string>> VariantArch(ITaskItem[] items, string itemType)
        => items.Select(i =>
        {
            var (f, l, c) = ItemLocation.Find(i, itemType);
            var variant = i.GetMetadata("Variant");
            var arch = i.GetMetadata("Arch");
            return new VariantArchValue<string>(
                string.IsNullOrEmpty(variant) ? "^.*$" : variant,
                string.IsNullOrEmpty(arch) ? "*" : arch,
                i.ItemSpec,
                new SourceLocation(f, l, c));
        }).ToList();

    /// <summary>An arch-keyed dict (<c>{arch: [values]}</c>): one item per value with <c>Arch</c> metadata.</summary>
    public static List<(string Arch, string Name)> ArchData(ITaskItem[] items)
        => items.Select(i => (string.IsNullOrEmpty(i.GetMetadata("Arch")) ? "*" : i.GetMetadata("Arch"), i.ItemSpec)).ToList();

    public static bool Bool(string? value, bool defaultValue)
        => string.IsNullOrWhiteSpace(value) ? defaultValue : string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
