using System.Text;
using Pungi.Build.Rpm;

namespace Pungi.Build.Repoclosure;

/// <summary>One requirement of a package that nothing in the checked and lookaside repositories provides.</summary>
public sealed record BrokenDependency(RpmPackage Package, Dependency Requirement);

/// <summary>
/// The Repoclosure phase's check (spec §2.18), natively: what <c>dnf repoclosure --check=&lt;variant repo&gt;</c> reports
/// with the parent's repository and the lookaside repositories enabled and <c>--arch</c> limited to the tree's valid
/// arches. As dnf does, every package of the checked repository (in those arches) has each requirement looked up among
/// all available packages; <c>rpmlib(…)</c> requirements are skipped; rich dependencies count as satisfied when
/// libsolv's provider set for them is not empty (or/and/if/unless: any branch; with: intersection; without: difference).
/// </summary>
public static class RepoClosure
{
    public static IReadOnlyList<BrokenDependency> Check(IEnumerable<RpmPackage> checkedPackages, IEnumerable<RpmPackage> lookaside,
        IReadOnlyCollection<string> arches, CancellationToken cancellationToken = default)
    {
        bool InArch(RpmPackage p) => arches.Count == 0 || arches.Contains(p.Arch);
        var check = checkedPackages.Where(InArch).ToList();
        var available = check.Concat(lookaside.Where(InArch)).ToList();
        var index = new ProvideIndex(available);
        var broken = new List<BrokenDependency>();
        foreach (var pkg in check.OrderBy(p => p.Nevra, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var req in pkg.Requires)
            {
                if (req.Name.StartsWith("rpmlib(", StringComparison.Ordinal)) continue;
                if (!index.IsProvided(req)) broken.Add(new BrokenDependency(pkg, req));
            }
        }
        return broken;
    }

    /// <summary>dnf repoclosure's report: one block per package with its unresolved dependencies.</summary>
    public static string Format(IReadOnlyList<BrokenDependency> broken, string repoId)
    {
        var sb = new StringBuilder();
        foreach (var group in broken.GroupBy(b => b.Package))
        {
            sb.Append("package: ").Append(group.Key.Nevra).Append(" from ").Append(repoId).Append('\n');
            sb.Append("  unresolved deps:\n");
            foreach (var b in group.Select(b => b.Requirement.ToString()).Distinct(StringComparer.Ordinal))
                sb.Append("    ").Append(b).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Providers by name (explicit provides and the implicit self-provide) and by file path.</summary>
    private sealed class ProvideIndex
    {
        private readonly Dictionary<string, List<RpmPackage>> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<RpmPackage>> _byFile = new(StringComparer.Ordinal);

        public ProvideIndex(IEnumerable<RpmPackage> packages)
        {
            foreach (var p in packages)
            {
                Add(p.Name, p);
                foreach (var d in p.Provides) Add(d.Name, p);
                foreach (var f in p.Files)
                {
                    if (!_byFile.TryGetValue(f.Path, out var owners)) _byFile[f.Path] = owners = [];
                    owners.Add(p);
                }
            }
        }

        private void Add(string name, RpmPackage p)
        {
            if (!_byName.TryGetValue(name, out var list)) _byName[name] = list = [];
            if (list.Count == 0 || !ReferenceEquals(list[^1], p)) list.Add(p);
        }

        public bool IsProvided(Dependency req)
        {
            if (req.IsRich)
                return RichDependency.TryParse(req.Name, out var rich) && rich is not null && Providers(rich).Count > 0;
            return SimpleProviders(req).Any();
        }

        private HashSet<RpmPackage> Providers(RichDependency dep) => dep switch
        {
            RichDependency.Simple s => [.. SimpleProviders(s.Dependency)],
            RichDependency.Combine { Operator: RichOperator.With } c => c.Operands.Skip(1).Aggregate(Providers(c.Operands[0]), (a, o) => { a.IntersectWith(Providers(o)); return a; }),
            RichDependency.Combine { Operator: RichOperator.Without } c => c.Operands.Skip(1).Aggregate(Providers(c.Operands[0]), (a, o) => { a.ExceptWith(Providers(o)); return a; }),
            RichDependency.Combine c => c.Operands.Aggregate(new HashSet<RpmPackage>(ReferenceEqualityComparer.Instance), (a, o) => { a.UnionWith(Providers(o)); return a; }),
            RichDependency.Conditional k => k.Else is null ? Providers(k.Then) : Union(Providers(k.Then), Providers(k.Else)),
            _ => [],
        };

        private static HashSet<RpmPackage> Union(HashSet<RpmPackage> a, HashSet<RpmPackage> b)
        {
            a.UnionWith(b);
            return a;
        }

        private IEnumerable<RpmPackage> SimpleProviders(Dependency req)
        {
            // A file requirement is met by any package owning the path, or by an explicit provide of that name.
            var owners = req.Name.StartsWith('/') && _byFile.TryGetValue(req.Name, out var f) ? f : [];
            var named = _byName.TryGetValue(req.Name, out var list) ? list.Where(p => DependencyMatching.Provides(p, req)) : [];
            return owners.Concat(named);
        }
    }
}
