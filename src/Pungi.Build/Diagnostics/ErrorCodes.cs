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

    // ---- 4xxx: repodata and createrepo ----

    // ---- 5xxx: ISO and images ----

    // ---- 6xxx: Koji ----

    // ---- 7xxx: metadata and compose layout ----

    // ---- 79xx: engine-level failures shared by every phase (the task base class) ----
    public const string IoFailure = "PUNGI7901"; // a file or directory could not be read or written
    public const string Cancelled = "PUNGI7902"; // the build was cancelled (Ctrl+C) while a phase ran
    public const string StaleTasks = "PUNGI7903"; // the SDK targets and the task DLL are different versions
    public const string InternalError = "PUNGI7999"; // an unexpected exception: a bug in Pungi.Build
}
