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
    public const string IsoSourceMissing = "PUNGI5000"; // the ISO source directory or a graft point's source does not exist
    public const string IsoVolumeIdInvalid = "PUNGI5001"; // the volume ID given to the ISO writer is empty or longer than 32 characters
    public const string IsoBootImageMissing = "PUNGI5002"; // an El Torito boot image (-b / -e) is not a non-empty file in the tree
    public const string IsoFileTooLarge = "PUNGI5003"; // a file of 4 GiB or more with iso_level below 3
    public const string IsoSourceChanged = "PUNGI5004"; // a source file shrank while the image was being written
    public const string IsoMd5AppDataUsed = "PUNGI5005"; // implanting an md5 into an image whose PVD application data is in use (no force)
    public const string IsoNotIso9660 = "PUNGI5006"; // a file read as ISO 9660 has no primary volume descriptor / is corrupt
    public const string IsoLevelInvalid = "PUNGI5007"; // iso_level is not 1, 2 or 3
    public const string IsoImageTooLarge = "PUNGI5008"; // the image would need more sectors than ISO 9660 can count
    public const string IsoPathNotFound = "PUNGI5009"; // IsoReader asked for a path that is not in the image
    public const string VolumeIdNoneFits = "PUNGI5010"; // no volume ID format gives a result of at most 32 characters
    public const string TemplateUnknownKey = "PUNGI5011"; // an image name / volume ID template uses an unknown key
    public const string TemplateSyntax = "PUNGI5012"; // an image name / volume ID template is malformed (% or {} syntax)

    // ---- 6xxx: Koji ----

    // ---- 7xxx: metadata and compose layout ----
}
