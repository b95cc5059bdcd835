namespace Pungi.Build.Diagnostics;

/// <summary>
/// The one registry of every <c>PUNGI####</c> code, grouped by area as DESIGN.md §5 says; the README's table mirrors
/// it. Add a code here (never reuse a number) with a comment saying when it is raised.
/// </summary>
public static class ErrorCodes
{
    // ---- 1xxx: project, properties and variants (1000-1099), comps (1100-1199), validation (1200-1299) ----

    // comps (1100-1199)
    public const string CompsMalformedXml = "PUNGI1101"; // a comps file is not well-formed XML (or cannot be read)
    public const string CompsNotComps = "PUNGI1102"; // the root element of a comps file is not <comps>
    public const string CompsDuplicateId = "PUNGI1103"; // two groups (or categories, environments) share one id
    public const string CompsMissingId = "PUNGI1104"; // a group, category or environment has no <id>
    public const string CompsPackageWhitespace = "PUNGI1105"; // a package name has leading/trailing whitespace (Init step 2)
    public const string CompsUnknownPackageType = "PUNGI1106"; // a packagereq type is none of mandatory/default/optional/conditional
    public const string CompsUnmatchedVariantGroup = "PUNGI1107"; // warning: a variant's group matches nothing in the comps
    public const string CompsUnmatchedVariantEnvironment = "PUNGI1108"; // warning: a variant's environment is not in the comps
    public const string CompsBadValue = "PUNGI1109"; // a boolean or display_order value libcomps would not read
    public const string CompsWriteFailed = "PUNGI1110"; // a comps output file could not be written

    // ---- 2xxx: RPM reading (2000-2099), pkgset (2100-2199) ----

    // ---- 3xxx: gather ----

    // ---- 4xxx: repodata and createrepo ----

    // ---- 5xxx: ISO and images ----

    // ---- 6xxx: Koji ----

    // ---- 7xxx: metadata and compose layout ----
}
