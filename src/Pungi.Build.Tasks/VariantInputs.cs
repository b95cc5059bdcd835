using Microsoft.Build.Framework;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Builds the one variant model from either <c>VariantsFile</c> (Pungi's variants.xml) or inline <c>Variant</c>
/// items, so both are validated the same way (DESIGN.md §3).
/// </summary>
internal static class VariantInputs
{
    public static VariantModel Load(ITaskItem[] variantsFiles, ITaskItem[] variants, string? treeArches, string? treeVariants, string projectFile)
    {
        var filter = new VariantFilter
        {
            TreeArches = SplitList(treeArches),
            TreeVariants = SplitList(treeVariants),
        };
        if (variantsFiles.Length > 1)
        {
            var (f, l, c) = ItemLocation.Find(variantsFiles[1], "VariantsFile");
            throw new PungiException(ErrorCodes.VariantsFileTwice, "Only one VariantsFile may be given (Pungi's variants_file is a single file).", f, l, c);
        }
        if (variantsFiles.Length == 1 && variants.Length > 0)
        {
            var (f, l, c) = ItemLocation.Find(variants[0], "Variant");
            throw new PungiException(ErrorCodes.VariantsFileTwice, "Give variants either through VariantsFile or as inline Variant items, not both.", f, l, c);
        }
        if (variantsFiles.Length == 1)
        {
            var item = variantsFiles[0];
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                var (f, l, c) = ItemLocation.Find(item, "VariantsFile");
                throw new PungiException(ErrorCodes.VariantsFileMissing, $"The variants file '{path}' does not exist.", f ?? projectFile, l, c);
            }
            return VariantsXml.Load(path, filter);
        }
        if (variants.Length == 0)
            throw new PungiException(ErrorCodes.NoVariants,
                "The compose defines no variants: add <VariantsFile Include=\"variants.xml\" /> or inline <Variant Include=\"…\" Arches=\"…\" /> items.",
                projectFile);
        var inline = variants.Select(v =>
        {
            var (f, l, c) = ItemLocation.Find(v, "Variant");
            return new InlineVariant
            {
                Include = v.ItemSpec,
                Name = Meta(v, "Name"),
                Type = Meta(v, "Type") ?? "variant",
                Arches = SplitList(v.GetMetadata("Arches")),
                Parent = Meta(v, "Parent"),
                Groups = SplitList(v.GetMetadata("Groups")).Select(g => new VariantGroup(g)).ToList(),
                Environments = SplitList(v.GetMetadata("Environments")).Select(e => new VariantEnvironment(e)).ToList(),
                BuildInstallPackages = SplitList(v.GetMetadata("BuildInstallPackages")),
                IsEmpty = string.Equals(v.GetMetadata("IsEmpty"), "true", StringComparison.OrdinalIgnoreCase),
                HasOptional = string.Equals(v.GetMetadata("HasOptional"), "true", StringComparison.OrdinalIgnoreCase),
                File = f ?? projectFile,
                Line = l,
                Column = c,
            };
        }).ToList();
        return VariantModel.FromInline(inline, filter);
    }

    /// <summary>VariantAsLookaside items as (variant, lookaside variant) UID pairs; an item without Lookaside is an error at the item.</summary>
    public static IReadOnlyList<(string Variant, string Lookaside)> LookasidePairs(ITaskItem[] items)
    {
        var pairs = new List<(string, string)>();
        foreach (var item in items)
        {
            var lookaside = item.GetMetadata("Lookaside").Trim();
            if (lookaside.Length == 0)
            {
                var (f, l, c) = ItemLocation.Find(item, "VariantAsLookaside");
                throw new PungiException(ErrorCodes.VariantLookasideCycle,
                    $"VariantAsLookaside '{item.ItemSpec}' needs Lookaside=\"<variant UID>\": the variant whose packages it looks aside to.", f, l, c);
            }
            pairs.Add((item.ItemSpec.Trim(), lookaside));
        }
        return pairs;
    }

    public static List<string> SplitList(string? value)
        => string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string? Meta(ITaskItem item, string name)
    {
        var v = item.GetMetadata(name);
        return string.IsNullOrEmpty(v) ? null : v;
    }
}
