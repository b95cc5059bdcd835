namespace Pungi.Build.Diagnostics;

/// <summary>
/// The one registry of every <c>PUNGI####</c> code, grouped by area as DESIGN.md §5 says; the README's table mirrors
/// it. Add a code here (never reuse a number) with a comment saying when it is raised.
/// </summary>
public static class ErrorCodes
{
    // ---- 1xxx: project, properties and variants (1000-1099), comps (1100-1199), validation (1200-1299) ----
    // release and compose identity (Compose/ComposeInfo.cs)
    public const string ReleaseValueMissing = "PUNGI1001"; // ReleaseName/ReleaseShort/ReleaseVersion empty
    public const string UnknownReleaseType = "PUNGI1002"; // ReleaseType/BaseProductType not in productmd RELEASE_TYPES
    public const string UnknownComposeType = "PUNGI1003"; // ComposeType not production|nightly|test|ci|development
    public const string BadComposeDate = "PUNGI1004"; // ComposeDate not YYYYMMDD or not a calendar date
    public const string BadComposeRespin = "PUNGI1005"; // ComposeRespin not a non-negative integer
    public const string BadComposeLabel = "PUNGI1006"; // ComposeLabel not <Milestone>-<major>.<minor> with a known milestone
    public const string IncompleteBaseProduct = "PUNGI1007"; // only some of BaseProductName/Short/Version set
    public const string UnknownVersionGenerator = "PUNGI1008"; // a value starting with '!' that is no known version generator
    public const string BadFormatTemplate = "PUNGI1009"; // a name template uses an unknown key or malformed %(key)s / {key}
    public const string BadVariantPattern = "PUNGI1010"; // a Variant metadata regex of a mapping-shaped item does not compile
    public const string VariantLookasideCycle = "PUNGI1011"; // variant_as_lookaside pairs form a cycle or name an unknown variant
    // variants.xml and inline Variant items (Variants/)
    public const string VariantsFileMissing = "PUNGI1020"; // the variants file does not exist or cannot be read
    public const string VariantsXmlMalformed = "PUNGI1021"; // the variants file is not well-formed XML
    public const string VariantsXmlInvalid = "PUNGI1022"; // the variants file breaks variants.dtd (element, attribute, order)
    public const string VariantBadBoolean = "PUNGI1023"; // a boolean attribute is not exactly true/false
    public const string VariantTextWhitespace = "PUNGI1024"; // arch/group/environment/... text has leading or trailing whitespace
    public const string VariantUnknownArch = "PUNGI1025"; // an arch that is no known tree arch
    public const string VariantNoArches = "PUNGI1026"; // a variant lists no arches
    public const string VariantDuplicateUid = "PUNGI1027"; // two variants with the same UID
    public const string VariantChildWithoutParent = "PUNGI1028"; // an addon/optional/layered-product used as a top-level variant
    public const string VariantChildOfNonVariant = "PUNGI1029"; // a child under an addon/optional/layered-product (e.g. optional of an optional)
    public const string VariantChildSameId = "PUNGI1030"; // a child variant with its parent's id
    public const string VariantArchesNotInParent = "PUNGI1031"; // a child's arches do not intersect its parent's
    public const string VariantUnknownRef = "PUNGI1032"; // <ref id> naming no top-level addon/layered-product
    public const string VariantUnknownType = "PUNGI1033"; // type not variant|addon|optional|layered-product
    public const string VariantBadId = "PUNGI1034"; // a variant id that productmd rejects (letters and digits only)
    public const string VariantMissingRelease = "PUNGI1035"; // a layered-product without name/short/version of its release
    public const string VariantUnknownParent = "PUNGI1036"; // an inline Variant whose Parent names no variant
    public const string VariantBadDisplayOrder = "PUNGI1037"; // environment display_order is not an integer
    public const string VariantMissingName = "PUNGI1038"; // a variant without a name

    // ---- 2xxx: RPM reading (2000-2099), pkgset (2100-2199) ----

    // ---- 3xxx: gather ----

    // ---- 4xxx: repodata and createrepo ----

    // ---- 5xxx: ISO and images ----

    // ---- 6xxx: Koji ----

    // ---- 7xxx: metadata and compose layout ----
    public const string StatusOverFinished = "PUNGI7001"; // with NewRespin/upstream rules: writing STATUS over FINISHED
    public const string MetadataMalformed = "PUNGI7002"; // a productmd JSON file cannot be parsed
    public const string MetadataInvalid = "PUNGI7003"; // productmd content breaks productmd's rules (arch, category, NEVRA, ...)
    public const string UnsupportedMetadataVersion = "PUNGI7004"; // a productmd header type/version this port does not read
    public const string TreeinfoMalformed = "PUNGI7005"; // a .treeinfo that is no valid INI or lacks a required key
    public const string DiscinfoMalformed = "PUNGI7006"; // a .discinfo with fewer than three lines
    public const string ComposeDirUnavailable = "PUNGI7007"; // no fresh respin directory could be created
}
