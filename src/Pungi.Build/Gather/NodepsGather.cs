using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>A package with the path it is linked from, as the package sets hand them to gather.</summary>
public sealed record PackageFileRef(RpmPackage Package, string Path);

/// <summary>A comps group as gather needs it: the id and its package requirements.</summary>
public sealed record GatherGroup(string Id, IReadOnlyList<GatherGroupPackage> Packages);

/// <summary>A <c>packagereq</c>: name, type (mandatory, default, optional, conditional) and <c>requires</c>.</summary>
public sealed record GatherGroupPackage(string Name, string Type = "mandatory", string? Requires = null);

/// <summary>A requested package for nodeps: a name or glob, or an exact package, with an optional arch.</summary>
public sealed record NodepsRequest(string? Pattern, RpmPackage? Package, string? Arch);

/// <summary>
/// The <c>nodeps</c> gather method (spec §3.3.1): every package matching a request, the SRPMs of the binaries, and
/// debuginfo whose SRPM was seen and whose arch is compatible with a binary from it. No dependency is resolved and
/// <c>filter_packages</c> is not applied; arch-less names match every arch in the package set.
/// </summary>
public static class NodepsGather
{
    /// <summary>
    /// Expands groups as <c>expand_groups</c>: all members whatever their type, from the first comps (the variant's,
    /// then the parent's, then for optional its siblings') that has the group; each member asks for the tree arch.
    /// </summary>
    public static IReadOnlyList<NodepsRequest> ExpandGroups(string arch, IEnumerable<string> groups, IReadOnlyList<IReadOnlyList<GatherGroup>> comps)
    {
        var result = new List<NodepsRequest>();
        foreach (var id in groups)
        {
            var group = comps.Select(c => c.FirstOrDefault(g => g.Id == id)).FirstOrDefault(g => g is not null)
                ?? throw new PungiException(ErrorCodes.GatherGroupNotFound, $"Group '{id}' is in none of the comps files for {arch}.");
            result.AddRange(group.Packages.Select(p => new NodepsRequest(p.Name, null, arch)));
        }
        return result;
    }

    public static PackageMap Solve(string arch, IReadOnlyList<NodepsRequest> requests, IReadOnlyList<IReadOnlyList<PackageFileRef>> packageSets)
    {
        var map = new PackageMap();
        var seenSrpms = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var regexes = requests.Select(r => r.Pattern is null ? null : new Regex(
            "^(?:" + r.Pattern.Replace(".", "\\.").Replace("+", "\\+").Replace("*", ".*") + ")$", RegexOptions.CultureInvariant)).ToArray();
        var all = packageSets.SelectMany(s => s).ToList();

        foreach (var f in all)
        {
            var pkg = f.Package;
            if (pkg.IsSource || DepsolvePatterns.IsDebugName(pkg.Name)) continue;
            for (int i = 0; i < requests.Count; i++)
            {
                var r = requests[i];
                if (regexes[i] is { } re ? !re.IsMatch(pkg.Name) : r.Package!.Nevra != pkg.Nevra) continue;
                if (r.Arch is not null && pkg.Arch != r.Arch && pkg.Arch != "noarch") continue;
                // Upstream appends once per matching request; one entry per file is the same on disk.
                if (!map.Rpm.Any(e => e.Path == f.Path)) map.Rpm.Add(new PackageEntry(f.Path, ["input"]));
                if (!seenSrpms.TryGetValue(pkg.SourceRpm, out var arches)) seenSrpms[pkg.SourceRpm] = arches = [];
                arches.Add(pkg.Arch);
            }
        }

        foreach (var f in all.Where(f => f.Package.IsSource))
            if (seenSrpms.ContainsKey(SrpmFileName(f)) && !map.Srpm.Any(e => e.Path == f.Path))
                map.Srpm.Add(new PackageEntry(f.Path, ["input"]));

        foreach (var f in all)
        {
            var pkg = f.Package;
            if (pkg.IsSource || !DepsolvePatterns.IsDebugName(pkg.Name)) continue;
            if (!seenSrpms.TryGetValue(pkg.SourceRpm, out var seenArches)) continue;
            // Only for a binary of a compatible arch: noarch binaries never pull debuginfo.
            var pkgArches = CompatibleArches(pkg.Arch).Where(a => a != "noarch");
            if (!pkgArches.Any(a => a != "noarch" && seenArches.Contains(a))) continue;
            if (!map.Debuginfo.Any(e => e.Path == f.Path)) map.Debuginfo.Add(new PackageEntry(f.Path, ["input"]));
        }
        return map;
    }

    private static string SrpmFileName(PackageFileRef f)
    {
        var name = Path.GetFileName(f.Path);
        return name.EndsWith(".rpm", StringComparison.Ordinal) ? name : f.Package.FileName;
    }

    /// <summary>Pungi's <c>get_compatible_arches(arch)</c>: the non-multilib valid arches of the arch's base arch.</summary>
    internal static IReadOnlyList<string> CompatibleArches(string arch)
    {
        string baseArch = arch switch
        {
            "athlon" or "i686" or "i586" or "i486" or "i386" => "i386",
            "ppc64p7" => "ppc64",
            "armv7hnl" or "armv7hl" or "armv6hl" => "armhfp",
            "sparc64v" or "sparc64" or "sparcv9v" or "sparcv9" or "sparcv8" => "sparc",
            _ => arch,
        };
        if (baseArch == "noarch") return ["noarch"];
        try
        {
            return new GatherArches(baseArch).NativeArches;
        }
        catch (PungiException)
        {
            return [arch, "noarch"];
        }
    }
}
