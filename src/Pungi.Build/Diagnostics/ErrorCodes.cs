namespace Pungi.Build.Diagnostics;

/// <summary>
/// The one registry of every <c>PUNGI####</c> code, grouped by area as DESIGN.md §5 says; the README's table mirrors
/// it. Add a code here (never reuse a number) with a comment saying when it is raised.
/// </summary>
public static class ErrorCodes
{
    // ---- 1xxx: project, properties and variants (1000-1099), comps (1100-1199), validation (1200-1299) ----

    // ---- 2xxx: RPM reading (2000-2099), pkgset (2100-2199) ----

    // ---- 3xxx: gather ----
    public const string GatherUnknownArch = "PUNGI3001"; // gather asked for a tree arch the yum arch table does not know
    public const string GatherEmptyInput = "PUNGI3002"; // a deps gather with no groups, no packages and no prepopulate
    public const string GatherUnresolvedDependencies = "PUNGI3003"; // CheckDeps=true and the depsolver left requirements unresolved
    public const string GatherIncompatibleArch = "PUNGI3004"; // AdditionalPackage/prepopulate 'name.arch' with an arch the tree cannot carry
    public const string GatherGroupNotFound = "PUNGI3005"; // nodeps: a requested comps group is in none of the comps files
    public const string GatherUnknownMultilibMethod = "PUNGI3006"; // a multilib method the DNF backend lacks (kernel, yaboot are yum-only)
    public const string GatherBadRichDependency = "PUNGI3007"; // a rich (boolean) dependency that does not parse
    public const string GatherBadGreedyMethod = "PUNGI3008"; // GreedyMethod other than none, all, build

    // ---- 4xxx: repodata and createrepo ----

    // ---- 5xxx: ISO and images ----

    // ---- 6xxx: Koji ----

    // ---- 7xxx: metadata and compose layout ----
}
