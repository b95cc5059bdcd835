namespace Pungi.Build.Comps;

/// <summary>One file Init produced (or found up to date).</summary>
public sealed record CompsOutputFile(string Path, string? Arch, string? VariantUid, bool Changed);

/// <summary>A variant and the arches it is composed for.</summary>
public sealed record VariantArches(VariantCompsSpec Variant, IReadOnlyList<string> Arches);

public sealed record CompsInitResult(IReadOnlyList<CompsOutputFile> Files, IReadOnlyList<CompsDiagnostic> Diagnostics);

/// <summary>
/// The comps part of the Init phase (spec §2.1 steps 1-4, without the comps repos, which createrepo builds):
/// copy the input to <c>work/global</c>, write the per-arch file (arch filter, no cleanup) and the per variant.arch
/// file (variant filter with cleanup, then the variants.xml groups and environments, rewritten as libcomps does).
/// Every file is written only when its content changes.
/// </summary>
public static class CompsInit
{
    /// <summary>Everything for a compose: arches are <c>compose.get_arches()</c>, the union of all variants' arches.</summary>
    public static CompsInitResult Run(string compsFile, string workDir, IReadOnlyList<VariantArches> variants, bool filterEnvironments = true)
    {
        var files = new List<CompsOutputFile>();
        var diagnostics = new List<CompsDiagnostic>();
        var doc = LoadAndValidate(compsFile);
        files.Add(WriteGlobal(compsFile, workDir));
        foreach (var arch in variants.SelectMany(v => v.Arches).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            files.Add(WriteArch(doc, workDir, arch));
        foreach (var v in variants)
            foreach (var arch in v.Arches)
                files.Add(WriteVariant(doc, workDir, v.Variant, arch, filterEnvironments, diagnostics));
        return new CompsInitResult(files, diagnostics);
    }

    /// <summary>Reads the input comps and runs Init's check (step 2: no whitespace around package names).</summary>
    public static CompsDocument LoadAndValidate(string compsFile)
    {
        var doc = CompsDocument.Load(compsFile);
        CompsModel.FromDocument(doc).ValidatePackageNames();
        return doc;
    }

    /// <summary>Step 1: <c>work/global/comps/comps-global.xml</c>, a verbatim copy of the input.</summary>
    public static CompsOutputFile WriteGlobal(string compsFile, string workDir)
    {
        var path = CompsPaths.Global(workDir);
        return new CompsOutputFile(path, null, null, ContentFile.WriteIfChanged(path, File.ReadAllBytes(compsFile)));
    }

    /// <summary>Step 3: <c>comps_filter --arch=A --no-cleanup</c> → <c>work/A/comps/comps-A.xml</c>.</summary>
    public static CompsOutputFile WriteArch(CompsDocument doc, string workDir, string arch)
    {
        var path = CompsPaths.ForArch(workDir, arch);
        return new CompsOutputFile(path, arch, null, ContentFile.WriteIfChanged(path, BuildArch(doc, arch)));
    }

    /// <summary>Step 4 → <c>work/A/comps/comps-V.A.xml</c>.</summary>
    public static CompsOutputFile WriteVariant(CompsDocument doc, string workDir, VariantCompsSpec variant, string arch, bool filterEnvironments, ICollection<CompsDiagnostic> diagnostics)
    {
        var path = CompsPaths.ForVariant(workDir, variant.Uid, arch);
        var bytes = BuildVariant(doc, variant, arch, filterEnvironments, diagnostics);
        return new CompsOutputFile(path, arch, variant.Uid, ContentFile.WriteIfChanged(path, bytes));
    }

    /// <summary>The bytes of the per-arch comps (upstream's <c>comps_filter</c> output).</summary>
    public static byte[] BuildArch(CompsDocument doc, string arch)
        => CompsFilter.FilterToBytes(doc, arch, null, CompsFilterOptions.ForArch);

    /// <summary>The per variant.arch comps as a model (what Gather reads), before serialisation.</summary>
    public static CompsModel FilterVariant(CompsDocument doc, VariantCompsSpec variant, string arch, bool filterEnvironments, ICollection<CompsDiagnostic> diagnostics)
    {
        // Upstream filters the *global* comps for the variant (not the arch file), then re-reads it with libcomps.
        var filtered = CompsFilter.Filter(doc, arch, variant.Uid, CompsFilterOptions.ForVariant(variant.Uid, variant.LookasideGroups ?? []));
        var model = CompsModel.FromDocument(filtered);
        return VariantCompsFilter.Apply(model, variant, arch, filterEnvironments, diagnostics);
    }

    /// <summary>The bytes of the per variant.arch comps, as Pungi's libcomps rewrite lays them out.</summary>
    public static byte[] BuildVariant(CompsDocument doc, VariantCompsSpec variant, string arch, bool filterEnvironments, ICollection<CompsDiagnostic> diagnostics)
        => CompsWriter.Write(FilterVariant(doc, variant, arch, filterEnvironments, diagnostics));
}
