using System.Globalization;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>
/// A Koji client profile read the way the koji CLI reads it (<c>koji.read_config</c>): the INI files
/// <c>&lt;configDir&gt;/koji.conf.d/*.conf</c> (sorted), <c>&lt;configDir&gt;/koji.conf</c>, then the user's
/// <c>~/.koji/config.d/*.conf</c> and <c>~/.koji/config</c>; a later file overrides an earlier one key by key.
/// The section named after the profile holds the settings. Session options left unset take the koji client's
/// defaults (max_retries 30, retry_interval 20 s, anon_retry/offline_retry off, timeout 12 h).
/// </summary>
public sealed class KojiProfile
{
    public required string Name { get; init; }
    public required string Server { get; init; }
    public string? WebUrl { get; init; }
    public string? TopUrl { get; init; }
    public string TopDir { get; init; } = "/mnt/koji";
    public string? AuthType { get; init; }
    public string? Cert { get; init; }
    public string? ServerCa { get; init; }
    public string? Principal { get; init; }
    public string? Keytab { get; init; }
    public bool NoSslVerify { get; init; }
    public int MaxRetries { get; init; } = 30;
    public double RetryInterval { get; init; } = 20;
    public bool AnonRetry { get; init; }
    public bool OfflineRetry { get; init; }
    public double OfflineRetryInterval { get; init; } = 20;
    public double Timeout { get; init; } = 60 * 60 * 12;
    public double AuthTimeout { get; init; } = 60;
    public double PollInterval { get; init; } = 6;
    /// <summary>Every key of the profile's section (lower-cased), for settings this class does not model.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    /// <summary>The files that were read, in order.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>
    /// Loads profile <paramref name="name"/>. <paramref name="configDir"/> stands for <c>/etc</c> and
    /// <paramref name="userConfigDir"/> for <c>~/.koji</c> (pass "" to skip the user files), so tests can point
    /// both at a temporary directory.
    /// </summary>
    public static KojiProfile Load(string name, string? configDir = null, string? userConfigDir = null)
    {
        configDir ??= "/etc";
        userConfigDir ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".koji");
        var files = new List<string>();
        AddConfigDir(files, Path.Combine(configDir, "koji.conf.d"));
        AddFile(files, Path.Combine(configDir, "koji.conf"));
        if (userConfigDir.Length > 0)
        {
            AddConfigDir(files, Path.Combine(userConfigDir, "config.d"));
            AddFile(files, Path.Combine(userConfigDir, "config"));
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = false;
        foreach (var f in files)
        {
            Dictionary<string, Dictionary<string, string>> ini;
            try
            {
                ini = IniFile.Parse(File.ReadAllLines(f), f);
            }
            catch (IOException e)
            {
                throw new PungiException(ErrorCodes.KojiProfileInvalid, $"cannot read Koji config file: {e.Message}", f, inner: e);
            }
            if (ini.TryGetValue(name, out var section))
            {
                found = true;
                foreach (var (k, v) in section)
                    merged[k] = v;
            }
        }
        if (!found)
            throw new PungiException(ErrorCodes.KojiProfileNotFound,
                $"no Koji profile '{name}': none of {(files.Count == 0 ? $"{configDir}/koji.conf(.d)" : string.Join(", ", files))} has a [{name}] section; set KojiProfile to a profile that exists");
        return FromValues(name, merged, files);
    }

    public static KojiProfile FromValues(string name, IReadOnlyDictionary<string, string> v, IReadOnlyList<string>? files = null)
    {
        var where = files is { Count: > 0 } ? files[^1] : null;
        if (!v.TryGetValue("server", out var server) || string.IsNullOrWhiteSpace(server))
            throw new PungiException(ErrorCodes.KojiProfileNoServer, $"Koji profile '{name}' has no 'server' (the hub URL, e.g. https://koji.example.com/kojihub)", where);
        if (!Uri.TryCreate(server.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new PungiException(ErrorCodes.KojiProfileNoServer, $"Koji profile '{name}': server '{server}' is not an http(s) URL", where);

        string? Str(string key) => v.TryGetValue(key, out var s) && s.Length > 0 ? s : null;
        string? PathValue(string key) => Str(key) is { } s ? ExpandUser(s) : null;
        double Num(string key, double dflt)
        {
            if (Str(key) is not { } s || s.Equals("None", StringComparison.Ordinal)) return dflt;
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0
                ? d
                : throw new PungiException(ErrorCodes.KojiProfileInvalid, $"Koji profile '{name}': {key} = '{s}' is not a non-negative number", where);
        }
        bool Bool(string key, bool dflt)
        {
            if (Str(key) is not { } s) return dflt;
            // configparser.getboolean's vocabulary
            return s.ToLowerInvariant() switch
            {
                "1" or "yes" or "true" or "on" => true,
                "0" or "no" or "false" or "off" => false,
                _ => throw new PungiException(ErrorCodes.KojiProfileInvalid, $"Koji profile '{name}': {key} = '{s}' is not a boolean", where),
            };
        }

        return new KojiProfile
        {
            Name = name,
            Server = server.Trim(),
            WebUrl = Str("weburl"),
            TopUrl = Str("topurl"),
            TopDir = Str("topdir") ?? "/mnt/koji",
            AuthType = Str("authtype"),
            Cert = PathValue("cert"),
            ServerCa = PathValue("serverca"),
            Principal = Str("principal"),
            Keytab = PathValue("keytab"),
            NoSslVerify = Bool("no_ssl_verify", false),
            MaxRetries = (int)Num("max_retries", 30),
            RetryInterval = Num("retry_interval", 20),
            AnonRetry = Bool("anon_retry", false),
            OfflineRetry = Bool("offline_retry", false),
            OfflineRetryInterval = Num("offline_retry_interval", Num("retry_interval", 20)),
            Timeout = Num("timeout", 60 * 60 * 12),
            AuthTimeout = Num("auth_timeout", 60),
            PollInterval = Num("poll_interval", 6),
            Values = new Dictionary<string, string>(v),
            SourceFiles = files ?? [],
        };
    }

    /// <summary>The options a <see cref="KojiClient"/> gets from this profile.</summary>
    public KojiClientOptions ToClientOptions() => new()
    {
        MaxRetries = MaxRetries,
        RetryInterval = TimeSpan.FromSeconds(RetryInterval),
        AnonRetry = AnonRetry,
        OfflineRetry = OfflineRetry,
        OfflineRetryInterval = TimeSpan.FromSeconds(OfflineRetryInterval),
        Timeout = TimeSpan.FromSeconds(Timeout),
        AuthTimeout = TimeSpan.FromSeconds(AuthTimeout),
        Cert = Cert,
        ServerCa = ServerCa,
        NoSslVerify = NoSslVerify,
        AuthType = AuthType,
        Principal = Principal,
        Keytab = Keytab,
    };

    private static string ExpandUser(string p)
        => p.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), p[2..])
            : p;

    private static void AddConfigDir(List<string> files, string dir)
    {
        if (!Directory.Exists(dir)) return;
        var confs = Directory.GetFiles(dir, "*.conf");
        Array.Sort(confs, StringComparer.Ordinal);
        files.AddRange(confs.Where(File.Exists));
    }

    private static void AddFile(List<string> files, string file)
    {
        if (File.Exists(file)) files.Add(file);
    }
}

/// <summary>The INI dialect of Python's configparser as koji uses it: [sections], key = value or key: value,
/// # and ; comment lines, indented continuation lines, keys lower-cased, DEFAULT section values inherited.</summary>
internal static class IniFile
{
    public static Dictionary<string, Dictionary<string, string>> Parse(IEnumerable<string> lines, string file)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        string? lastKey = null;
        var lineNo = 0;
        foreach (var raw in lines)
        {
            lineNo++;
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                if (trimmed.Length == 0) lastKey = null;
                continue;
            }
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && lastKey is not null && current is not null)
            {
                current[lastKey] = (current[lastKey] + "\n" + trimmed).Trim();
                continue;
            }
            if (trimmed[0] == '[')
            {
                var close = trimmed.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                    throw new PungiException(ErrorCodes.KojiProfileInvalid, $"malformed section header '{trimmed}'", file, lineNo);
                var name = trimmed[1..close];
                if (name == "DEFAULT")
                    current = defaults;
                else if (!result.TryGetValue(name, out current))
                    result[name] = current = new Dictionary<string, string>(StringComparer.Ordinal);
                lastKey = null;
                continue;
            }
            var sep = trimmed.IndexOfAny(['=', ':']);
            if (current is null || sep <= 0)
                throw new PungiException(ErrorCodes.KojiProfileInvalid, $"line is neither a section, a 'key = value' nor a comment: '{trimmed}'", file, lineNo);
            lastKey = trimmed[..sep].Trim().ToLowerInvariant();
            current[lastKey] = trimmed[(sep + 1)..].Trim();
        }
        foreach (var section in result.Values)
            foreach (var (k, v) in defaults)
                section.TryAdd(k, v);
        return result;
    }
}
