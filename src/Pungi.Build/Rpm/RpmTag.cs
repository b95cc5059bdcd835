namespace Pungi.Build.Rpm;

/// <summary>Data types of header index entries (rpm's <c>rpmTagType</c>).</summary>
public enum RpmTagType
{
    Null = 0,
    Char = 1,
    Int8 = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    String = 6,
    Bin = 7,
    StringArray = 8,
    I18NString = 9,
}

/// <summary>The tag numbers we read, named as in rpm's <c>rpmtag.h</c> (main header) and <c>RPMSIGTAG_*</c> (signature header).</summary>
public static class RpmTag
{
    public const int HeaderSignatures = 62;
    public const int HeaderImmutable = 63;
    public const int HeaderI18NTable = 100;

    // Signature header (RPMSIGTAG_*). Tags below 1000 share numbers with the main header's RPMTAG_* retrofits.
    public const int SigDsa = 267;
    public const int SigRsa = 268;
    public const int SigSha1 = 269;
    public const int SigLongSize = 270;
    public const int SigLongArchiveSize = 271;
    public const int SigSha256 = 273;
    public const int SigSize = 1000;
    public const int SigPgp = 1002;
    public const int SigMd5 = 1004;
    public const int SigGpg = 1005;
    public const int SigPayloadSize = 1007;
    public const int SigReservedSpace = 1008;

    // Main header (RPMTAG_*).
    public const int SigPgpRetrofit = 259;
    public const int SigGpgRetrofit = 262;
    public const int DsaHeader = 267;
    public const int RsaHeader = 268;
    public const int LongArchiveSize = 271;
    public const int Name = 1000;
    public const int Version = 1001;
    public const int Release = 1002;
    public const int Epoch = 1003;
    public const int Summary = 1004;
    public const int Description = 1005;
    public const int BuildTime = 1006;
    public const int BuildHost = 1007;
    public const int Size = 1009;
    public const int Distribution = 1010;
    public const int Vendor = 1011;
    public const int License = 1014;
    public const int Packager = 1015;
    public const int Group = 1016;
    public const int Url = 1020;
    public const int Os = 1021;
    public const int Arch = 1022;
    public const int FileSizes = 1028;
    public const int FileModes = 1030;
    public const int FileRdevs = 1033;
    public const int FileMtimes = 1034;
    public const int FileDigests = 1035;
    public const int FileLinkTos = 1036;
    public const int FileFlags = 1037;
    public const int FileUserName = 1039;
    public const int FileGroupName = 1040;
    public const int SourceRpm = 1044;
    public const int ArchiveSize = 1046;
    public const int ProvideName = 1047;
    public const int RequireFlags = 1048;
    public const int RequireName = 1049;
    public const int RequireVersion = 1050;
    public const int NoSource = 1051;
    public const int NoPatch = 1052;
    public const int ConflictFlags = 1053;
    public const int ConflictName = 1054;
    public const int ConflictVersion = 1055;
    public const int ExcludeArch = 1059;
    public const int ExclusiveArch = 1061;
    public const int ChangelogTime = 1080;
    public const int ChangelogName = 1081;
    public const int ChangelogText = 1082;
    public const int ObsoleteName = 1090;
    public const int SourcePackage = 1106;
    public const int ProvideFlags = 1112;
    public const int ProvideVersion = 1113;
    public const int ObsoleteFlags = 1114;
    public const int ObsoleteVersion = 1115;
    public const int DirIndexes = 1116;
    public const int BaseNames = 1117;
    public const int DirNames = 1118;
    public const int PayloadFormat = 1124;
    public const int PayloadCompressor = 1125;
    public const int PayloadFlags = 1126;
    public const int OldFileNames = 1027;
    public const int LongFileSizes = 5008;
    public const int LongSize = 5009;
    public const int FileDigestAlgo = 5011;
    public const int RecommendName = 5046;
    public const int RecommendVersion = 5047;
    public const int RecommendFlags = 5048;
    public const int SuggestName = 5049;
    public const int SuggestVersion = 5050;
    public const int SuggestFlags = 5051;
    public const int SupplementName = 5052;
    public const int SupplementVersion = 5053;
    public const int SupplementFlags = 5054;
    public const int EnhanceName = 5055;
    public const int EnhanceVersion = 5056;
    public const int EnhanceFlags = 5057;
    public const int PayloadDigest = 5092;
    public const int PayloadDigestAlgo = 5093;
}

/// <summary>rpm's <c>RPMFILE_*</c> attribute bits (FILEFLAGS).</summary>
[Flags]
public enum RpmFileFlags : uint
{
    None = 0,
    Config = 1 << 0,
    Doc = 1 << 1,
    Icon = 1 << 2,
    MissingOk = 1 << 3,
    NoReplace = 1 << 4,
    Ghost = 1 << 6,
    License = 1 << 7,
    Readme = 1 << 8,
    Pubkey = 1 << 11,
    Artifact = 1 << 12,
}
