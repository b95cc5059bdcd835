namespace Pungi.Build.Rpm;

/// <summary>Whether a package satisfies a dependency, as rpm/libsolv decide it.</summary>
public static class DependencyMatching
{
    /// <summary>
    /// True when <paramref name="package"/> satisfies <paramref name="requirement"/>:
    /// <list type="bullet">
    /// <item>a rich dependency is evaluated over its leaves, each asked of this package;</item>
    /// <item>a file dependency (<c>/…</c>) matches a path in the file list (files, dirs and ghosts alike) or an
    /// explicit provide of that name;</item>
    /// <item>otherwise a provide of the same name whose range overlaps (<see cref="Dependency.Overlaps"/>: a missing
    /// epoch is 0, a missing release matches any), including the implicit self-provide
    /// <c>name = [epoch:]version-release</c>.</item>
    /// </list>
    /// </summary>
    public static bool Provides(RpmPackage package, Dependency requirement)
    {
        if (requirement.IsRich)
            return RichDependency.Parse(requirement.Name).IsSatisfied(d => Provides(package, d));
        if (requirement.Name.StartsWith('/'))
        {
            foreach (var f in package.Files)
                if (string.Equals(f.Path, requirement.Name, StringComparison.Ordinal)) return true;
        }
        foreach (var p in package.Provides)
            if (p.Overlaps(requirement)) return true;
        return SelfProvide(package).Overlaps(requirement);
    }

    /// <summary><c>name = [epoch:]version-release</c>, which rpm adds to every package's provides.</summary>
    public static Dependency SelfProvide(RpmPackage package)
        => new(package.Name, DependencyFlags.Equal,
            (string.IsNullOrEmpty(package.Epoch) ? "" : package.Epoch + ":") + package.Version + "-" + package.Release);
}
