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
    public const string VariantLookasideArches = "PUNGI1012"; // a variant_as_lookaside variant has an arch its lookaside variant lacks
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
    // composeproj wiring of variants (Pungi.Build.Tasks)
    public const string VariantsFileTwice = "PUNGI1090"; // more than one VariantsFile, or VariantsFile and inline Variant items together
    public const string NoVariants = "PUNGI1091"; // neither a VariantsFile nor inline Variant items

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

    // pungi.conf import (1200-1249; PungiConfig/, pungi-build import)
    public const string ConfigUnreadable = "PUNGI1201"; // a pungi.conf (or an imported .conf) is missing, unreadable or over the size limit
    public const string ConfigSyntax = "PUNGI1202"; // a pungi.conf is not kobo's Python-like syntax (unexpected token, unclosed bracket)
    public const string ConfigBadString = "PUNGI1203"; // an unterminated string literal or a malformed escape in a pungi.conf
    public const string ConfigTooDeep = "PUNGI1204"; // lists/dicts/tuples nested deeper than the parser's bound
    public const string ConfigTooLarge = "PUNGI1205"; // a string, number, formatted string or value count over the parser's bound
    public const string ConfigUndefinedName = "PUNGI1206"; // a value names a variable not assigned before it
    public const string ConfigDuplicateKey = "PUNGI1207"; // a dict repeats a key (kobo rejects it)
    public const string ConfigImportFailed = "PUNGI1208"; // `from X import ...`: X.conf missing, an import cycle, or a name X does not define
    public const string ConfigBadFormat = "PUNGI1209"; // a "..." % value string formatting that Python would reject
    public const string ConfigJsonInvalid = "PUNGI1210"; // the JSON form of a config is malformed or not an object
    public const string ConfigBadAssignment = "PUNGI1211"; // assignment to a Python keyword or a name starting with '_'
    public const string ImportUnknownOption = "PUNGI1220"; // warning: an option Pungi 4.3.6 does not know (with the closest known name)
    public const string ImportUnmappable = "PUNGI1221"; // warning: an option (or value shape) with no composeproj form, kept as an XML comment
    public const string ImportDeprecatedOption = "PUNGI1222"; // warning: a deprecated option upstream accepts and ignores, kept as a comment
    public const string ImportKoboDivergence = "PUNGI1223"; // warning: text kobo reads differently from Python (escapes, adjacent strings, missing comma)
    public const string ImportBadOptionValue = "PUNGI1224"; // warning: a value whose type does not fit the option's schema, kept as a comment
    public const string ImportOutputFailed = "PUNGI1225"; // the composeproj (or a copied input) cannot be written
    public const string ImportMissingInput = "PUNGI1226"; // a referenced variants/comps file (error with --copy-inputs, else warning) or local repository (warning) does not exist
    public const string ImportRequiredMissing = "PUNGI1227"; // warning: a required option (release_*, variants_file, pkgset_source, gather_method) is not set
    public const string ImportUsage = "PUNGI1228"; // bad command line of pungi-build import
    public const string ImportNotRead = "PUNGI1229"; // warning: an option maps to a property or item that no phase reads (written, but it has no effect)

    // composeproj validation (1300-1399; ProjectSchema/, the Validate target)
    public const string PropertyNotBoolean = "PUNGI1301"; // a boolean property or metadata is not true/false
    public const string PropertyNotInteger = "PUNGI1302"; // an integer property or item is not a whole number in its range
    public const string PropertyUnknownValue = "PUNGI1303"; // a property or item value outside its allowed values (no more specific code)
    public const string TreeVariantUnknown = "PUNGI1305"; // TreeVariants names no variant UID
    public const string CompsFileMissing = "PUNGI1306"; // a CompsFile does not exist
    public const string LookasideRepoMissing = "PUNGI1307"; // a GatherLookasideRepo is neither a URL nor a directory with repodata/repomd.xml
    public const string ItemVariantMatchesNothing = "PUNGI1308"; // an item's Variant regex matches no variant UID
    public const string UnknownMetadata = "PUNGI1310"; // warning: an item carries metadata its item type does not read (with the closest known name)
    public const string MisspelledProperty = "PUNGI1311"; // warning: a property close to a composeproj property's name but not it
    public const string MisspelledItem = "PUNGI1312"; // warning: an item type close to a composeproj item type's name but not it
    public const string VariantGroupNotInComps = "PUNGI1313"; // a variant names a comps group that no CompsFile defines
    public const string VariantEnvironmentNotInComps = "PUNGI1314"; // a variant names a comps environment that no CompsFile defines
    public const string VariantGroupsWithoutComps = "PUNGI1315"; // variants name comps groups or environments but there is no CompsFile

    // ---- 2xxx: RPM reading (2000-2099), pkgset (2100-2199) ----
    public const string RpmUnreadable = "PUNGI2001"; // an RPM file cannot be opened or read (I/O error, missing file)
    public const string RpmNotAnRpm = "PUNGI2002"; // the file does not start with the RPM lead (magic, version, signature type)
    public const string RpmTruncated = "PUNGI2003"; // the file ends inside the signature header, the main header or the payload
    public const string RpmBadHeader = "PUNGI2004"; // a header's magic, counts, index entries or data store are invalid
    public const string RpmMissingTag = "PUNGI2005"; // a tag every package has (name, version, release, arch) is missing or of the wrong type
    public const string RpmBadSignature = "PUNGI2006"; // an OpenPGP signature packet in the signature header cannot be parsed
    public const string RpmUnsupportedPayload = "PUNGI2007"; // the payload format or compressor is not one we can read
    public const string RpmBadPayload = "PUNGI2008"; // the cpio payload is corrupt or does not decompress
    public const string RpmUnsafePayloadPath = "PUNGI2009"; // a payload entry would be written outside the target directory
    public const string RpmUnsupportedChecksum = "PUNGI2010"; // the requested file checksum type is not supported
    public const string RichDependencySyntax = "PUNGI2011"; // a rich (boolean) dependency does not parse

    // pkgset (2100-2199)
    public const string PkgsetRepositoryMissing = "PUNGI2101"; // a PackageRepository (pkgset_repos) path does not exist or is not a directory
    public const string PkgsetUnreadableRpm = "PUNGI2102"; // an RPM in a package repository is unreadable or corrupt (the RPM reader's code is in the message)
    public const string PkgsetUnsignedPackages = "PUNGI2103"; // packages whose signature key is not in Sigkeys, and unsigned/invalid keys are not tolerated
    public const string PkgsetInvalidSigkeyWanted = "PUNGI2104"; // deps gather tolerates invalid sigkeys, but a package with one is on the wanted list
    public const string PkgsetEmptyRepository = "PUNGI2105"; // warning: a package repository holds no RPM files and no repodata
    public const string PkgsetMissingSrpm = "PUNGI2106"; // warning: a noarch package's SRPM is not in the package set (ExcludeArch/ExclusiveArch not inherited)
    public const string PkgsetWriteFailed = "PUNGI2107"; // a pkgset output (package list, store, header cache) cannot be written
    public const string PkgsetStoreMissing = "PUNGI2108"; // PackageSetStore.Load: the per-arch package-set file is missing, corrupt or of another format version
    public const string PkgsetHeaderCacheDiscarded = "PUNGI2109"; // warning: the header cache was unreadable or of another format; every header is read again
    public const string PkgsetBadRepodata = "PUNGI2110"; // a repository without RPM files has repodata that cannot be read
    public const string PkgsetDepsolveWarning = "PUNGI2111"; // warning: the repos source's depsolving (pungi-gather) found a pattern matching nothing or an unresolvable dependency
    public const string KojiPkgsetRpmsNotFound = "PUNGI2120"; // Koji pkgset: no copy of some tagged RPMs for any key in Sigkeys (and unsigned copies not allowed)
    public const string KojiPkgsetExtraBuildMissing = "PUNGI2121"; // Koji pkgset: a PkgsetKojiBuilds entry is not a build on the hub
    public const string KojiPkgsetBadEvent = "PUNGI2122"; // Koji pkgset: KojiEvent is not an event the hub knows
    public const string KojiPkgsetNoTag = "PUNGI2123"; // PkgsetSource=koji without PkgsetKojiTag
    public const string PkgsetSourceUnsupported = "PUNGI2190"; // PkgsetSource names a source this build cannot use
    public const string PkgsetNoRepositories = "PUNGI2191"; // PkgsetSource=repos without any PackageRepository item

    // ---- 3xxx: gather ----
    public const string GatherUnknownArch = "PUNGI3001"; // gather asked for a tree arch the yum arch table does not know
    public const string GatherEmptyInput = "PUNGI3002"; // a deps gather with no groups, no packages and no prepopulate
    public const string GatherUnresolvedDependencies = "PUNGI3003"; // CheckDeps=true and the depsolver left requirements unresolved
    public const string GatherIncompatibleArch = "PUNGI3004"; // AdditionalPackage/prepopulate 'name.arch' with an arch the tree cannot carry
    public const string GatherGroupNotFound = "PUNGI3005"; // nodeps: a requested comps group is in none of the comps files
    public const string GatherUnknownMultilibMethod = "PUNGI3006"; // a multilib method the DNF backend lacks (kernel, yaboot are yum-only)
    // PUNGI3007 retired unused: a rich dependency that does not parse is reported as an unresolvable dependency.
    public const string GatherUnknownSource = "PUNGI3011"; // GatherSource other than comps, json, none
    public const string GatherInputFileMissing = "PUNGI3012"; // GatherSourceMapping or GatherPrepopulate names a file that does not exist
    public const string GatherBadJsonInput = "PUNGI3010"; // gather_source_mapping or gather_prepopulate is not a JSON object of the documented shape
    public const string GatherBadGreedyMethod = "PUNGI3008"; // GreedyMethod other than none, all, build
    public const string GatherBadLinkType = "PUNGI3092"; // LinkType is not a Pungi link type, or a package file name is not a plain name
    public const string GatherLinkFailed = "PUNGI3093"; // LinkType=hardlink and the hard link was refused
    public const string RepoclosureFailed = "PUNGI3095"; // Repoclosure found unresolved dependencies (a warning unless RepoclosureStrictness=fatal)
    public const string RepoclosureBadStrictness = "PUNGI3096"; // RepoclosureStrictness is not off, lenient or fatal
    public const string RepoclosureToolFailed = "PUNGI3097"; // RepoclosureBackend=dnf: dnf repoclosure could not run or failed other than by finding breakage; the log's last lines follow
    public const string RepoclosureBadBackend = "PUNGI3098"; // RepoclosureBackend is not native or dnf (upstream's yum backend is not ported)
    public const string GatherUnknownMethod = "PUNGI3090"; // GatherMethod other than deps or nodeps
    public const string GatherWarning = "PUNGI3091"; // warning: what the depsolver reports without failing (missing group, unresolved dep with CheckDeps=false)
    // pungi-build gather command (3100-3119)
    public const string GatherCliRepositoryUnreadable = "PUNGI3101"; // a --repo/--lookaside path is missing, not a directory, or holds neither repodata/ nor RPM files
    public const string GatherCliUsage = "PUNGI3102"; // pungi-build gather: an unknown option, a missing or bad option value, or options that do not go together
    public const string GatherCliGroupNotFound = "PUNGI3103"; // pungi-build gather --group names a group that is not in the --comps file

    // ---- 4xxx: repodata and createrepo ----
    public const string RepomdMissing = "PUNGI4001"; // a repository has no repodata/repomd.xml
    public const string RepodataMalformed = "PUNGI4002"; // repomd.xml, primary, filelists or other is not well-formed or lacks a required part
    public const string RepodataChecksumMismatch = "PUNGI4003"; // a repomd record's file does not have the checksum or size repomd.xml says
    public const string RepodataFileMissing = "PUNGI4004"; // a file repomd.xml points at (or a needed record) is missing
    public const string UnknownCompression = "PUNGI4005"; // a compression name or file that is none of gz, xz, zstd, bz2, none
    public const string XzEncoderUnavailable = "PUNGI4006"; // xz output asked for but liblzma.so.5 cannot be loaded
    public const string CompressionFailed = "PUNGI4007"; // a compressed file is corrupt or the compressor failed
    public const string RepodataWriteFailed = "PUNGI4008"; // the repodata directory cannot be created or written
    public const string UnknownChecksumType = "PUNGI4009"; // CreaterepoChecksum is not one of sha1, sha224, sha256, sha384, sha512
    public const string PackageChecksumMissing = "PUNGI4010"; // a package handed to the writer has no checksum (pkgid)
    public const string GroupFileMissing = "PUNGI4011"; // the comps group file given to the writer does not exist
    public const string InvalidSourceDateEpoch = "PUNGI4012"; // SOURCE_DATE_EPOCH (or the revision timestamp) is not a whole number of seconds
    public const string RepodataDatabaseFailed = "PUNGI4013"; // writing a sqlite database (primary.sqlite, ...) failed
    public const string CreaterepoUnknownPackage = "PUNGI4090"; // a package list names a file the package set does not hold
    public const string CreaterepoPackageMissing = "PUNGI4091"; // a package file disappeared since Gather linked it
    public const string CreaterepoCNotFound = "PUNGI4092"; // CreaterepoBackend=createrepo_c but the createrepo_c executable cannot be started
    public const string CreaterepoCFailed = "PUNGI4093"; // createrepo_c exited non-zero (its log file is named)
    public const string CreaterepoBadBackend = "PUNGI4094"; // CreaterepoBackend is neither native nor createrepo_c, or CreaterepoNumWorkers is not a positive number

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
    public const string IsoBackendUnknown = "PUNGI5013"; // IsoBackend is neither native nor xorriso
    public const string IsoToolFailed = "PUNGI5014"; // xorrisofs or implantisomd5 (IsoBackend=xorriso) could not run or exited non-zero
    public const string MediaChecksumUnknown = "PUNGI5015"; // media_checksums names a digest this build cannot compute
    public const string MediaChecksumOneFileNeedsOne = "PUNGI5016"; // media_checksum_one_file with other than exactly one checksum type
    public const string ImageRecordInvalid = "PUNGI5017"; // a work/<arch>/createiso/<variant>.json image record is unreadable
    public const string ImageTestMissing = "PUNGI5018"; // Test: an image listed in images.json does not exist
    public const string ImageTestNotIso = "PUNGI5019"; // Test: an iso-format image has no CD001 at 0x8001
    public const string ImageTestNotBootable = "PUNGI5020"; // Test: a bootable x86_64/i386 image has no MBR, GPT or El Torito record
    public const string ImageTestTooLarge = "PUNGI5021"; // Test: an ISO is larger than createiso_max_size (error when strict, else warning)
    public const string ImageTestMd5Failed = "PUNGI5022"; // Test: the implanted md5 does not verify (checkisomd5 would fail) or differs from images.json
    public const string ImageTestVolumeIdMismatch = "PUNGI5023"; // Test: the volume ID in the image differs from images.json
    public const string ImageTestSizeMismatch = "PUNGI5024"; // Test: an image's size on disk differs from images.json
    public const string IsoBootArchUnsupported = "PUNGI5025"; // a bootable ISO for an arch with no boot options in spec §7.4
    public const string IsoBootNativeUnsupported = "PUNGI5026"; // the native writer cannot make this arch's boot setup (ppc HFS hybrid, sparc): use xorriso
    public const string IsoBootableTooLarge = "PUNGI5027"; // a bootable tree (never split) is larger than the media size (iso_size - split_iso_reserve)
    public const string IsoMediaSizeInvalid = "PUNGI5028"; // iso_size / split_iso_reserve is not a size (int, or number with b/k/M/G) or leaves no room
    public const string IsoFileLargerThanMedia = "PUNGI5029"; // split media: one file is larger than the media size
    public const string ExtraIsoUnknownVariant = "PUNGI5030"; // an ExtraIso item's IncludeVariants names a variant the compose does not have

    // ---- 51xx: Buildinstall / OSTreeInstaller (lorax) ----
    public const string BuildinstallMethodUnknown = "PUNGI5100"; // BuildinstallMethod is neither lorax nor buildinstall
    public const string BuildinstallMethodUnsupported = "PUNGI5101"; // BuildinstallMethod=buildinstall (RHEL 6 anaconda-runtime) is not ported
    public const string BuildinstallNoOutput = "PUNGI5102"; // lorax exited 0 but left no output directory to copy into the tree
    public const string BuildinstallBadOption = "PUNGI5103"; // a LoraxOption metadata value has the wrong shape (not a boolean / number)
    public const string BuildinstallKickstartMissing = "PUNGI5104"; // BuildinstallKickstart names a file that does not exist
    public const string BuildinstallEfibootFailed = "PUNGI5105"; // mtools (mdir/mcopy) could not read or update images/efiboot.img
    public const string BuildinstallNoVolid = "PUNGI5106"; // no volume ID format gives a value of at most 32 characters for the lorax --volid
    public const string BuildinstallConfigFileMissing = "PUNGI5107"; // a LoraxOption ConfigurationFile does not exist
    public const string OstreeInstallerClash = "PUNGI5108"; // an ostree_installer config matches a variant.arch that Buildinstall also runs (set OstreeInstallerOverwrite)
    public const string OstreeInstallerRelativeTemplate = "PUNGI5109"; // a relative AddTemplate/AddArchTemplate without TemplateRepo
    public const string OstreeInstallerNoBootIso = "PUNGI5110"; // lorax exited 0 but left no images/boot.iso in work/<arch>/<V>/ostree_installer
    public const string OstreeInstallerNoVolid = "PUNGI5111"; // no volume ID format gives a value of at most 32 characters for the ostree installer
    public const string OstreeInstallerTwoConfigs = "PUNGI5112"; // two different OstreeInstaller configs match one variant.arch (their outputs would clash)
    public const string OstreeInstallerTemplateRepoFailed = "PUNGI5113"; // git could not clone the TemplateRepo
    public const string OstreeInstallerUnsupported = "PUNGI5114"; // OstreeInstallerUseKojiPlugin is not ported
    public const string OstreeInstallerVariantRepoIgnored = "PUNGI5115"; // warning: a Repo that is a variant UID is ignored, as upstream's ostree_installer does
    public const string OstreeInstallerFailed = "PUNGI5116"; // warning: the ostree installer of a failable arch failed; the compose goes on without it

    // ---- 515x-517x: runroot ----
    public const string RunrootMethodUnknown = "PUNGI5150"; // RunrootMethod is not local, koji or openssh
    public const string RunrootMethodUnsupported = "PUNGI5151"; // RunrootMethod=openssh is not ported
    public const string RunrootCommandFailed = "PUNGI5152"; // the runroot command exited non-zero (the last lines of its log follow)
    public const string RunrootTimeout = "PUNGI5153"; // the runroot command ran longer than its timeout and was killed
    public const string RunrootNotStarted = "PUNGI5154"; // the runroot command could not be started (shell or executable missing)
    public const string RunrootKojiNoTag = "PUNGI5155"; // RunrootMethod=koji without RunrootTag or KojiProfile
    public const string RunrootKojiTaskFailed = "PUNGI5156"; // the Koji runroot task ended FAILED or CANCELED (its runroot.log tail follows)
    public const string RunrootBadTimeout = "PUNGI5157"; // a runroot timeout is not a positive number of seconds
    // 52xx: ExtraFiles and OSTree (local backend)
    public const string ExtraFilesBadScm = "PUNGI5200"; // an ExtraFile's Scm is not one this build fetches (file, git, rpm)
    public const string ExtraFilesNoMatch = "PUNGI5201"; // an ExtraFile's file glob matched no file
    public const string ExtraFilesDirMissing = "PUNGI5202"; // an ExtraFile's Dir is not a directory (locally or in the git checkout)
    public const string ScmGitFailed = "PUNGI5203"; // git (clone/fetch/checkout of an ExtraFile or Ostree ConfigUrl) failed; the log's last lines follow
    public const string ExtraFilesBadTarget = "PUNGI5204"; // an ExtraFile's Target (or a copied path) would leave the tree
    public const string ExtraFilesRecordInvalid = "PUNGI5205"; // a work/<arch>/<V>/extra_files.json record is unreadable
    public const string ExtraFilesNoPackage = "PUNGI5206"; // an ExtraFile with Scm=rpm names a package the arch's package set lacks
    public const string OstreeRepoMissing = "PUNGI5210"; // an Ostree item has no OstreeRepo, or its parent directory does not exist
    public const string OstreeTreefileMissing = "PUNGI5211"; // the treefile (or a file it includes) does not exist
    public const string OstreeTreefileInvalid = "PUNGI5212"; // the treefile is not a JSON (or YAML) object of the expected shape
    public const string OstreePackageNotFound = "PUNGI5213"; // a treefile package matches no package of the compose's repositories
    public const string OstreeUnresolvedDependency = "PUNGI5214"; // a resolved treefile package requires something nothing provides
    public const string OstreeToolFailed = "PUNGI5215"; // the ostree CLI could not run or exited non-zero; the log's last lines follow
    public const string OstreeRemoteRepo = "PUNGI5216"; // an Ostree Repo entry is a URL; the local backend reads only local repodata
    public const string OstreeKeyIgnored = "PUNGI5217"; // warning: a treefile key the local backend does not honour
    public const string OstreeIncludeCycle = "PUNGI5218"; // a treefile includes itself (directly or through others)
    public const string OstreeBadSetting = "PUNGI5219"; // an Ostree item's metadata value is invalid (boolean, arch)
    public const string OstreeRunrootNoCommitId = "PUNGI5220"; // the OSTree runroot task succeeded but left no usable commit id (commitid.log / stamp / ref)
    public const string OstreeRunrootTreefileOutside = "PUNGI5221"; // RunrootMethod koji: a local treefile includes a file outside its directory (it cannot be copied into config_repo)
    public const string OstreeRunrootRepoDropped = "PUNGI5222"; // warning: RunrootMethod koji: an Ostree repo entry that is not a URL (variant UID, untranslated local path) is dropped, as upstream

    // ---- 6xxx: Koji ----
    public const string KojiFault = "PUNGI6001"; // the Koji hub answered a call with a fault (the hub's code and message follow)
    public const string KojiHubUnreachable = "PUNGI6002"; // the hub cannot be reached (connection refused, DNS, TLS, timeout) after the configured retries
    public const string KojiHttpError = "PUNGI6003"; // the hub answered with an HTTP status other than 200
    public const string KojiBadResponse = "PUNGI6004"; // a hub response (or request) is not a well-formed XML-RPC document
    public const string KojiResponseTooLarge = "PUNGI6005"; // a hub response is larger than the configured limit
    public const string KojiProfileNotFound = "PUNGI6006"; // no koji.conf / koji.conf.d file has a section for the KojiProfile
    public const string KojiProfileNoServer = "PUNGI6007"; // the Koji profile has no 'server' (hub URL) or it is not an absolute URL
    public const string KojiProfileInvalid = "PUNGI6008"; // a Koji profile value cannot be read (not a number/boolean, unreadable file)
    public const string KojiLoginFailed = "PUNGI6009"; // login is impossible (no cert file, unknown authtype, hub returned no session)
    public const string KojiUnknownTag = "PUNGI6010"; // a Koji tag named in the project does not exist on the hub
    public const string KojiTaskFailed = "PUNGI6011"; // a watched Koji task ended FAILED (task id and the hub's reason follow)
    public const string KojiTaskCanceled = "PUNGI6012"; // a watched Koji task ended CANCELED
    public const string KojiTaskMissing = "PUNGI6013"; // a task id given to the watcher does not exist on the hub
    public const string KojiDownloadFailed = "PUNGI6014"; // a file could not be downloaded from the Koji topurl
    public const string KojiChecksumMismatch = "PUNGI6015"; // a downloaded Koji file does not have the size/checksum Koji recorded
    public const string KojiMultiCallShape = "PUNGI6016"; // a multicall answer entry is neither a one-element list nor a fault struct
    public const string KojiValueUnsupported = "PUNGI6017"; // a value the client was asked to send cannot be expressed in XML-RPC
    public const string KojiNotLoggedIn = "PUNGI6018"; // an operation that needs a Koji session (task submission, cancel) was called anonymously
    public const string KojiImageConfigMissing = "PUNGI6019"; // a Koji image item (LiveMedia, ImageBuild, OSBuild, …) lacks a required setting (kickstart, target, url, …)
    public const string KojiImageTaskFailed = "PUNGI6020"; // a required (not failable) Koji image task failed or was cancelled (task id and the hub's message follow)
    public const string KojiImageMissingArch = "PUNGI6021"; // a Koji image task finished without an image for a required arch
    public const string KojiImageUnknownVariant = "PUNGI6022"; // a Koji image item names a variant (InstallTreeFrom, Repo) the compose does not have
    public const string KojiImageResultShape = "PUNGI6023"; // a finished Koji image task's result lacks what the phase reads (files, koji.build, koji_builds)
    public const string KojiImageSpecNoMatch = "PUNGI6024"; // ImageContainer: ImageSpec matches no image, or more than one, of the variant
    public const string KojiImagesNoProfile = "PUNGI6025"; // Koji image items or PkgsetSource=koji without KojiProfile
    public const string KojiImageLinkFailed = "PUNGI6026"; // a Koji image file cannot be linked or copied into the compose
    public const string KojiWaitLostHub = "PUNGI6031"; // waiting on Koji tasks: the hub stayed unreachable, answered HTTP errors or was offline past the retries (the task ids follow)
    public const string KojiFailableDeliverableFailed = "PUNGI6030"; // warning: a failable Koji image deliverable failed; the compose ends FINISHED_INCOMPLETE

    // ---- 7xxx: metadata and compose layout ----
    public const string RpmsJsonUnknownPackage = "PUNGI7050"; // rpms.json: a package-list entry is not in its arch's package set
    public const string RpmsJsonPackageNotLinked = "PUNGI7051"; // rpms.json: a package-list entry has no linked file under compose/
    public const string RpmsJsonSrpmGuessed = "PUNGI7052"; // warning: a binary's SRPM is in no variant; its NEVRA is guessed from sourcerpm
    public const string ReportNoMetadata = "PUNGI7100"; // report/diff: a path given as a compose has no compose/metadata/*.json
    public const string ReportPreviousMissing = "PUNGI7101"; // report: the PreviousCompose directory does not exist
    public const string ReportPreviousUnreadable = "PUNGI7102"; // warning: the previous compose's metadata cannot be read; the report has no change list

    // ---- 7150-7169: path safety (names from inputs never write outside the compose, never read outside a repository) ----
    public const string UnsafeName = "PUNGI7150"; // a name from an input (package file, ISO name, location href, extra file) is absolute, has '..', a control character or is too long
    public const string PathOutsideRoot = "PUNGI7151"; // a path (through '..' or a symlink) leads outside the directory it must stay in

    // ---- 79xx: engine-level failures shared by every phase (the task base class) ----
    public const string IoFailure = "PUNGI7901"; // a file or directory could not be read or written
    public const string Cancelled = "PUNGI7902"; // the build was cancelled (Ctrl+C) while a phase ran
    public const string StaleTasks = "PUNGI7903"; // the SDK targets and the task DLL are different versions
    public const string InternalError = "PUNGI7999"; // an unexpected exception: a bug in Pungi.Build
    public const string StatusOverFinished = "PUNGI7001"; // with NewRespin/upstream rules: writing STATUS over FINISHED
    public const string MetadataMalformed = "PUNGI7002"; // a productmd JSON file cannot be parsed
    public const string MetadataInvalid = "PUNGI7003"; // productmd content breaks productmd's rules (arch, category, NEVRA, ...)
    public const string UnsupportedMetadataVersion = "PUNGI7004"; // a productmd header type/version this port does not read
    public const string TreeinfoMalformed = "PUNGI7005"; // a .treeinfo that is no valid INI or lacks a required key
    public const string DiscinfoMalformed = "PUNGI7006"; // a .discinfo with fewer than three lines
    public const string ComposeDirUnavailable = "PUNGI7007"; // no fresh respin directory could be created
    public const string ComposeLocked = "PUNGI7008"; // another build is composing the same compose directory right now
}
