using Microsoft.Data.Sqlite;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Repodata;

/// <summary>
/// createrepo_c's <c>--database</c> output: primary.sqlite, filelists.sqlite and other.sqlite with its schema
/// (<c>src/sqlite.c</c>, <c>database_version</c> 10), filled in the same pass as the XML and compressed at the end.
/// </summary>
internal sealed class RepodataSqlite : IDisposable
{
    public const int DatabaseVersion = 10;

    private const string PrimarySchema = """
        CREATE TABLE db_info (dbversion INTEGER, checksum TEXT);
        CREATE TABLE packages (  pkgKey INTEGER PRIMARY KEY,  pkgId TEXT,  name TEXT,  arch TEXT,  version TEXT,  epoch TEXT,  release TEXT,  summary TEXT,  description TEXT,  url TEXT,  time_file INTEGER,  time_build INTEGER,  rpm_license TEXT,  rpm_vendor TEXT,  rpm_group TEXT,  rpm_buildhost TEXT,  rpm_sourcerpm TEXT,  rpm_header_start INTEGER,  rpm_header_end INTEGER,  rpm_packager TEXT,  size_package INTEGER,  size_installed INTEGER,  size_archive INTEGER,  location_href TEXT,  location_base TEXT,  checksum_type TEXT);
        CREATE TABLE files (  name TEXT,  type TEXT,  pkgKey INTEGER);
        CREATE TABLE requires (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER , pre BOOLEAN DEFAULT FALSE);
        CREATE TABLE provides (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE conflicts (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE obsoletes (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE suggests (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE enhances (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE recommends (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TABLE supplements (  name TEXT,  flags TEXT,  epoch TEXT,  version TEXT,  release TEXT,  pkgKey INTEGER );
        CREATE TRIGGER removals AFTER DELETE ON packages  BEGIN    DELETE FROM files WHERE pkgKey = old.pkgKey;    DELETE FROM requires WHERE pkgKey = old.pkgKey;    DELETE FROM provides WHERE pkgKey = old.pkgKey;    DELETE FROM conflicts WHERE pkgKey = old.pkgKey;    DELETE FROM obsoletes WHERE pkgKey = old.pkgKey;    DELETE FROM suggests WHERE pkgKey = old.pkgKey;    DELETE FROM enhances WHERE pkgKey = old.pkgKey;    DELETE FROM recommends WHERE pkgKey = old.pkgKey;    DELETE FROM supplements WHERE pkgKey = old.pkgKey;  END;
        """;

    private const string PrimaryIndexes = """
        CREATE INDEX packagename ON packages (name);
        CREATE INDEX packageId ON packages (pkgId);
        CREATE INDEX filenames ON files (name);
        CREATE INDEX pkgfiles ON files (pkgKey);
        CREATE INDEX pkgrequires on requires (pkgKey);
        CREATE INDEX requiresname ON requires (name);
        CREATE INDEX pkgprovides on provides (pkgKey);
        CREATE INDEX providesname ON provides (name);
        CREATE INDEX pkgconflicts on conflicts (pkgKey);
        CREATE INDEX pkgobsoletes on obsoletes (pkgKey);
        CREATE INDEX pkgsuggests on suggests (pkgKey);
        CREATE INDEX pkgenhances on enhances (pkgKey);
        CREATE INDEX pkgrecommends on recommends (pkgKey);
        CREATE INDEX pkgsupplements on supplements (pkgKey);
        """;

    private const string FilelistsSchema = """
        CREATE TABLE db_info (dbversion INTEGER, checksum TEXT);
        CREATE TABLE packages (  pkgKey INTEGER PRIMARY KEY,  pkgId TEXT);
        CREATE TABLE filelist (  pkgKey INTEGER,  dirname TEXT,  filenames TEXT,  filetypes TEXT);
        CREATE TRIGGER remove_filelist AFTER DELETE ON packages  BEGIN    DELETE FROM filelist WHERE pkgKey = old.pkgKey;  END;
        """;

    private const string FilelistsIndexes = """
        CREATE INDEX keyfile ON filelist (pkgKey);
        CREATE INDEX pkgId ON packages (pkgId);
        CREATE INDEX dirnames ON filelist (dirname);
        """;

    private const string OtherSchema = """
        CREATE TABLE db_info (dbversion INTEGER, checksum TEXT);
        CREATE TABLE packages (  pkgKey INTEGER PRIMARY KEY,  pkgId TEXT);
        CREATE TABLE changelog (  pkgKey INTEGER,  author TEXT,  date INTEGER,  changelog TEXT);
        CREATE TRIGGER remove_changelogs AFTER DELETE ON packages  BEGIN    DELETE FROM changelog WHERE pkgKey = old.pkgKey;  END;
        """;

    private const string OtherIndexes = """
        CREATE INDEX keychange ON changelog (pkgKey);
        CREATE INDEX pkgId ON packages (pkgId);
        """;

    private readonly string _repodata;
    private readonly Db _primary, _filelists, _other;
    private long _key;

    public RepodataSqlite(string repodata, List<string> temps)
    {
        _repodata = repodata;
        try
        {
            _primary = new Db(repodata, "primary", PrimarySchema, temps);
            _filelists = new Db(repodata, "filelists", FilelistsSchema, temps);
            _other = new Db(repodata, "other", OtherSchema, temps);
        }
        catch (SqliteException e)
        {
            throw new PungiException(ErrorCodes.RepodataDatabaseFailed, $"Cannot create the sqlite databases: {e.Message}", repodata, inner: e);
        }
    }

    public void Add(RpmPackage p, RepoDependencies deps, List<ChangelogEntry> changelogs, string? baseUrl = null)
    {
        try
        {
            AddCore(p, deps, changelogs, string.IsNullOrEmpty(baseUrl) ? null : baseUrl);
        }
        catch (SqliteException e)
        {
            throw new PungiException(ErrorCodes.RepodataDatabaseFailed, $"Cannot add {p.Nevra} to the sqlite databases: {e.Message}", _repodata, inner: e);
        }
    }

    private void AddCore(RpmPackage p, RepoDependencies deps, List<ChangelogEntry> changelogs, string? baseUrl)
    {
        long key = ++_key;
        _primary.Exec("INSERT INTO packages VALUES ($k,$id,$name,$arch,$ver,$epoch,$rel,$summary,$desc,$url,$tf,$tb,$lic,$vendor,$group,$host,$srpm,$hs,$he,$packager,$sp,$si,$sa,$href,$base,$ctype)",
            ("$k", key), ("$id", p.Checksum), ("$name", p.Name), ("$arch", PackageXml.RepoArch(p)), ("$ver", p.Version),
            ("$epoch", PackageXml.RepoEpoch(p)), ("$rel", p.Release), ("$summary", p.Summary), ("$desc", p.Description), ("$url", p.Url),
            ("$tf", p.FileTime), ("$tb", p.BuildTime), ("$lic", p.License), ("$vendor", p.Vendor), ("$group", p.Group),
            ("$host", p.BuildHost), ("$srpm", p.SourceRpm), ("$hs", p.HeaderStart), ("$he", p.HeaderEnd), ("$packager", p.Packager),
            ("$sp", p.PackageSize), ("$si", p.InstalledSize), ("$sa", p.ArchiveSize), ("$href", p.Location), ("$base", baseUrl),
            ("$ctype", p.ChecksumType));
        foreach (var f in p.Files)
            if (CreaterepoRules.IsPrimaryFile(f.Path))
                _primary.Exec("INSERT INTO files VALUES ($n,$t,$k)", ("$n", f.Path), ("$t", TypeName(f.Type)), ("$k", key));
        foreach (var (table, list) in new[] { ("provides", deps.Provides), ("conflicts", deps.Conflicts), ("obsoletes", deps.Obsoletes),
            ("suggests", deps.Suggests), ("enhances", deps.Enhances), ("recommends", deps.Recommends), ("supplements", deps.Supplements) })
        {
            foreach (var d in list)
                _primary.Exec($"INSERT INTO {table} VALUES ($n,$f,$e,$v,$r,$k)",
                    ("$n", d.Name), ("$f", d.Flags), ("$e", d.Epoch), ("$v", d.Version), ("$r", d.Release), ("$k", key));
        }
        foreach (var d in deps.Requires)
            _primary.Exec("INSERT INTO requires VALUES ($n,$f,$e,$v,$r,$k,$pre)",
                ("$n", d.Name), ("$f", d.Flags), ("$e", d.Epoch), ("$v", d.Version), ("$r", d.Release), ("$k", key), ("$pre", d.Pre ? "TRUE" : "FALSE"));

        _filelists.Exec("INSERT INTO packages VALUES ($k,$id)", ("$k", key), ("$id", p.Checksum));
        // filelists.sqlite packs a directory's entries into one row: names joined by '/', types as f/d/g letters.
        foreach (var dir in p.Files.GroupBy(f => DirName(f.Path)))
        {
            var names = string.Join('/', dir.Select(f => f.Path[(f.Path.LastIndexOf('/') + 1)..]));
            var types = string.Concat(dir.Select(f => f.Type switch { PackageFileType.Dir => 'd', PackageFileType.Ghost => 'g', _ => 'f' }));
            _filelists.Exec("INSERT INTO filelist VALUES ($k,$d,$n,$t)", ("$k", key), ("$d", dir.Key), ("$n", names), ("$t", types));
        }

        _other.Exec("INSERT INTO packages VALUES ($k,$id)", ("$k", key), ("$id", p.Checksum));
        foreach (var c in changelogs)
            _other.Exec("INSERT INTO changelog VALUES ($k,$a,$d,$t)", ("$k", key), ("$a", c.Author), ("$d", c.Date), ("$t", c.Text));
    }

    private static string TypeName(PackageFileType t) => t switch { PackageFileType.Dir => "dir", PackageFileType.Ghost => "ghost", _ => "file" };

    private static string DirName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : "") : path[..slash];
    }

    /// <summary>Indexes the databases, records the XML checksums in <c>db_info</c>, compresses them and returns their records.</summary>
    public IEnumerable<RepomdRecord> Finish(string primaryXml, string filelistsXml, string otherXml, RepodataOptions options, string checksumType, long timestamp)
    {
        try
        {
            _primary.Close(PrimaryIndexes, primaryXml);
            _filelists.Close(FilelistsIndexes, filelistsXml);
            _other.Close(OtherIndexes, otherXml);
        }
        catch (SqliteException e)
        {
            throw new PungiException(ErrorCodes.RepodataDatabaseFailed, $"Cannot finish the sqlite databases: {e.Message}", _repodata, inner: e);
        }
        return [_primary.Compress(options, checksumType, timestamp), _filelists.Compress(options, checksumType, timestamp),
            _other.Compress(options, checksumType, timestamp)];
    }

    public void Dispose()
    {
        _primary.Dispose();
        _filelists.Dispose();
        _other.Dispose();
    }

    private sealed class Db : IDisposable
    {
        private readonly string _repodata, _type, _path;
        private readonly SqliteConnection _conn;
        private SqliteTransaction? _tx;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public Db(string repodata, string type, string schema, List<string> temps)
        {
            _repodata = repodata;
            _type = type;
            _path = Path.Combine(repodata, $".{type}.sqlite.{Guid.NewGuid():N}.tmp");
            temps.Add(_path);
            _conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
            _conn.Open();
            using (var cmd = _conn.CreateCommand())
            {
                cmd.CommandText = "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY; " + schema;
                cmd.ExecuteNonQuery();
            }
            _tx = _conn.BeginTransaction();
        }

        public void Exec(string sql, params (string Name, object? Value)[] args)
        {
            if (!_commands.TryGetValue(sql, out var cmd))
            {
                cmd = _conn.CreateCommand();
                cmd.CommandText = sql;
                cmd.Transaction = _tx;
                foreach (var (name, _) in args) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
                cmd.Prepare();
                _commands[sql] = cmd;
            }
            for (int i = 0; i < args.Length; i++)
                cmd.Parameters[i].Value = args[i].Value is string { Length: 0 } or null ? DBNull.Value : args[i].Value;
            cmd.ExecuteNonQuery();
        }

        public void Close(string indexes, string xmlChecksum)
        {
            using (var cmd = _conn.CreateCommand())
            {
                cmd.Transaction = _tx;
                cmd.CommandText = indexes + "INSERT INTO db_info VALUES (" + DatabaseVersion + ", $c);";
                cmd.Parameters.AddWithValue("$c", xmlChecksum);
                cmd.ExecuteNonQuery();
            }
            _tx!.Commit();
            _tx = null;
            Dispose();
        }

        public RepomdRecord Compress(RepodataOptions options, string checksumType, long timestamp)
        {
            string openChecksum = RepodataChecksum.OfFile(_path, checksumType);
            long openSize = new FileInfo(_path).Length;
            string tmp = _path + Compressor.Suffix(options.DatabaseCompression);
            long size;
            string checksum;
            try
            {
                using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write))
                using (var hashed = new HashingWriteStream(file, checksumType, leaveOpen: true))
                {
                    using (var compressed = Compressor.Compress(hashed, options.DatabaseCompression, leaveOpen: true))
                    using (var input = File.OpenRead(_path))
                        input.CopyTo(compressed);
                    checksum = hashed.HexDigest;
                    size = hashed.BytesWritten;
                }
                string name = RepodataWriter.FinalName($"{_type}.sqlite{Compressor.Suffix(options.DatabaseCompression)}", checksum, options.UniqueMdFilenames);
                File.Move(tmp, Path.Combine(_repodata, name), overwrite: true);
                return new RepomdRecord
                {
                    Type = _type + "_db", Location = "repodata/" + name, Checksum = checksum, ChecksumType = checksumType,
                    OpenChecksum = openChecksum, OpenChecksumType = checksumType, Timestamp = timestamp, Size = size, OpenSize = openSize,
                    DatabaseVersion = DatabaseVersion,
                };
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
        }

        public void Dispose()
        {
            foreach (var c in _commands.Values) c.Dispose();
            _commands.Clear();
            _tx?.Dispose();
            _tx = null;
            _conn.Dispose();
        }
    }
}
