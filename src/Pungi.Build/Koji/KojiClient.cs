using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>Session options of koji's <c>ClientSession</c>, with the koji client's defaults.</summary>
public sealed class KojiClientOptions
{
    /// <summary>Retries after a connection error or timeout (koji <c>max_retries</c>).</summary>
    public int MaxRetries { get; init; } = 30;
    /// <summary>Wait between retries; the first retry is immediate, as in koji (<c>retry_interval</c>).</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Retry anonymous (not logged-in) calls too (<c>anon_retry</c>); koji retries only logged-in calls by default.</summary>
    public bool AnonRetry { get; init; }
    /// <summary>On a ServerOffline fault wait and retry without limit (<c>offline_retry</c>).</summary>
    public bool OfflineRetry { get; init; }
    public TimeSpan OfflineRetryInterval { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Per-request timeout (<c>timeout</c>, koji's default 12 h).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(12);
    /// <summary>Timeout of the login request (<c>auth_timeout</c>).</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// Largest response body accepted (after decompression), and so the most characters the XML-RPC reader takes.
    /// 512 MiB holds listTaggedRPMS of a whole Fedora tag with inheritance (tens of MiB) many times over, yet stops a
    /// broken or hostile hub long before it exhausts memory or the spool disk.
    /// </summary>
    public long MaxResponseBytes { get; init; } = 512L << 20;
    /// <summary>PEM file with the client certificate and its key (<c>cert</c>), for SSL login.</summary>
    public string? Cert { get; init; }
    /// <summary>PEM file with the CA that signed the hub's certificate (<c>serverca</c>).</summary>
    public string? ServerCa { get; init; }
    public bool NoSslVerify { get; init; }
    public string? AuthType { get; init; }
    public string? Principal { get; init; }
    public string? Keytab { get; init; }
}

/// <summary>A logged-in session: what <c>login</c>/<c>sslLogin</c> returned, and the next call number.</summary>
public sealed class KojiSession
{
    internal KojiSession(long id, string key, bool headerAuth, string authType)
    {
        Id = id;
        Key = key;
        HeaderAuth = headerAuth;
        AuthType = authType;
    }

    public long Id { get; }
    public string Key { get; }
    /// <summary>True when the hub asked for Koji-Session-* headers (<c>header-auth</c>); else the legacy query string.</summary>
    public bool HeaderAuth { get; }
    public string AuthType { get; }
    /// <summary>The number the next request carries; starts at 0 after login, one per HTTP request.</summary>
    public long NextCallNumber { get; internal set; }
}

/// <summary>One call of a multicall batch.</summary>
public sealed record KojiCall(string Method, IReadOnlyList<object?> Args, IReadOnlyList<KeyValuePair<string, object?>>? Kwargs = null)
{
    public static KojiCall Of(string method, params object?[] args) => new(method, args);
}

/// <summary>The answer to one call of a multicall: a value, or the fault the hub raised for that call.</summary>
public sealed record KojiMultiCallResult(object? Value, KojiFaultException? Fault)
{
    public bool IsFault => Fault is not null;

    /// <summary>The value, or the fault thrown.</summary>
    public object? GetValueOrThrow() => Fault is null ? Value : throw Fault;
}

/// <summary>
/// A native Koji hub client (the equivalent of <c>koji.ClientSession</c>): XML-RPC over HttpClient, keyword
/// arguments as the trailing <c>__starstar</c> struct, session headers and call numbers after login, multicall,
/// and koji's retry rules (connection errors and timeouts retried up to <c>max_retries</c> — for anonymous calls
/// only with <c>anon_retry</c>; ServerOffline retried without limit with <c>offline_retry</c>; any other fault raised).
/// Thread-safe: calls may run concurrently (call numbers are taken atomically).
/// </summary>
public sealed partial class KojiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly object _lock = new();
    private volatile KojiSession? _session;

    public KojiClient(Uri hubUrl, KojiClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        HubUrl = new Uri(hubUrl.ToString().TrimEnd('/'));
        Options = options ?? new KojiClientOptions();
        _http = new HttpClient(handler ?? CreateHandler(Options, negotiate: false), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
    }

    /// <summary>A client for the profile's hub with the profile's session options.</summary>
    public static KojiClient FromProfile(KojiProfile profile, HttpMessageHandler? handler = null)
        => new(new Uri(profile.Server), profile.ToClientOptions(), handler);

    public Uri HubUrl { get; }
    public KojiClientOptions Options { get; }
    public KojiSession? Session => _session;
    public bool LoggedIn => _session is not null;
    /// <summary>The hub's <c>Koji-Version</c> response header, once a response has been seen.</summary>
    public string? HubVersion { get; private set; }
    /// <summary>Where submitted task ids are recorded (<c>logs/global/koji-tasks/</c>); null records nothing.</summary>
    public KojiTaskLog? TaskLog { get; set; }
    /// <summary>Told about each retry: (method, try number, error).</summary>
    public Action<string, int, Exception>? OnRetry { get; set; }

    /// <summary>Builds the HTTP handler: client certificate from <c>cert</c>, hub certificate checked against
    /// <c>serverca</c>, gzip, and for GSSAPI the process's Kerberos credentials through HttpClient's Negotiate.</summary>
    public static SocketsHttpHandler CreateHandler(KojiClientOptions options, bool negotiate)
    {
        var h = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions(),
        };
        if (!string.IsNullOrEmpty(options.Cert) && File.Exists(options.Cert))
        {
            X509Certificate2 cert;
            try
            {
                cert = X509Certificate2.CreateFromPemFile(options.Cert);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new PungiException(ErrorCodes.KojiLoginFailed, $"cannot read the client certificate and key (PEM) from '{options.Cert}': {e.Message}", options.Cert, inner: e);
            }
            h.SslOptions.ClientCertificates = [cert];
            h.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => cert;
        }
        if (options.NoSslVerify)
        {
            // koji's no_ssl_verify: the user asked for it in the profile
#pragma warning disable CA5359
            h.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (!string.IsNullOrEmpty(options.ServerCa) && File.Exists(options.ServerCa))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.ServerCa);
            h.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(cert));
            };
        }
        if (negotiate)
        {
            // GSSAPI: the hub answers 401 WWW-Authenticate: Negotiate and HttpClient does the SPNEGO exchange with
            // the default Kerberos credential cache (kinit, or KRB5_CLIENT_KTNAME for a keytab).
            h.Credentials = CredentialCache.DefaultCredentials;
            h.PreAuthenticate = false;
        }
        return h;
    }

    // ---------------------------------------------------------------- calls

    /// <summary>Calls <paramref name="method"/> with positional <paramref name="args"/> and keyword
    /// <paramref name="kwargs"/> (sent, as koji does, as a last struct with <c>__starstar</c> true).</summary>
    public Task<object?> CallAsync(string method, IReadOnlyList<object?> args, IReadOnlyList<KeyValuePair<string, object?>>? kwargs = null, CancellationToken ct = default)
        => SendAsync(method, EncodeArgs(args, kwargs), retry: true, timeout: null, ct);

    public Task<object?> CallAsync(string method, CancellationToken ct = default, params object?[] args)
        => CallAsync(method, args, null, ct);

    /// <summary>Calls and converts the result to <typeparamref name="T"/> (see <see cref="KojiValue.To{T}"/>).</summary>
    public async Task<T> CallAsync<T>(string method, IReadOnlyList<object?> args, IReadOnlyList<KeyValuePair<string, object?>>? kwargs = null, CancellationToken ct = default)
        => KojiValue.To<T>(await CallAsync(method, args, kwargs, ct).ConfigureAwait(false), method);

    /// <summary>Keyword-argument list builder: <c>Kw(("event", 18), ("inherit", true))</c>, order kept.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Kw(params (string Name, object? Value)[] pairs)
        => pairs.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList();

    public static List<object?> EncodeArgs(IReadOnlyList<object?> args, IReadOnlyList<KeyValuePair<string, object?>>? kwargs)
    {
        var list = new List<object?>(args);
        if (kwargs is { Count: > 0 })
        {
            var opts = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in kwargs) opts[k] = v;
            opts["__starstar"] = true;
            list.Add(opts);
        }
        return list;
    }

    /// <summary>
    /// One <c>multiCall</c> request for all <paramref name="calls"/> (one call number). Each answer is a value or
    /// that call's fault; with <paramref name="strict"/> the first fault is thrown (koji's <c>multiCall(strict=True)</c>).
    /// </summary>
    public async Task<IReadOnlyList<KojiMultiCallResult>> MultiCallAsync(IReadOnlyList<KojiCall> calls, bool strict = false, CancellationToken ct = default)
    {
        if (calls.Count == 0) return [];
        var batch = calls.Select(c => (object?)new Dictionary<string, object?>
        {
            ["methodName"] = c.Method,
            ["params"] = EncodeArgs(c.Args, c.Kwargs),
        }).ToList();
        var raw = await SendAsync("multiCall", [batch], retry: true, timeout: null, ct).ConfigureAwait(false);
        if (raw is not List<object?> answers || answers.Count != calls.Count)
            throw new PungiException(ErrorCodes.KojiMultiCallShape, $"multiCall of {calls.Count} calls answered with {(raw is List<object?> l ? l.Count + " entries" : "a " + (raw?.GetType().Name ?? "nil"))}");
        var results = new List<KojiMultiCallResult>(answers.Count);
        for (var i = 0; i < answers.Count; i++)
        {
            switch (answers[i])
            {
                case List<object?> { Count: 1 } one:
                    results.Add(new KojiMultiCallResult(one[0], null));
                    break;
                case Dictionary<string, object?> f when f.ContainsKey("faultCode"):
                    var fault = KojiFaultException.Create(KojiValue.Int(f, "faultCode"), KojiValue.Str(f, "faultString") ?? "", calls[i].Method);
                    if (strict) throw fault;
                    results.Add(new KojiMultiCallResult(null, fault));
                    break;
                default:
                    throw new PungiException(ErrorCodes.KojiMultiCallShape, $"multiCall entry {i} ({calls[i].Method}) is neither [value] nor a fault struct");
            }
        }
        return results;
    }

    // ---------------------------------------------------------------- login

    /// <summary>Logs in as the profile says (Pungi's rule): authtype ssl, or no authtype and an existing cert file →
    /// SSL certificate; kerberos → GSSAPI; anything else is an error.</summary>
    public Task LoginAsync(CancellationToken ct = default)
    {
        var authType = Options.AuthType;
        if (authType == "ssl" || (string.IsNullOrEmpty(authType) && !string.IsNullOrEmpty(Options.Cert) && File.Exists(Options.Cert)))
            return SslLoginAsync(ct);
        if (authType is "kerberos" or "gssapi")
            return GssapiLoginAsync(ct);
        throw new PungiException(ErrorCodes.KojiLoginFailed,
            $"cannot log in to {HubUrl}: authtype '{authType ?? "(none)"}' is not supported (use ssl with a cert file, or kerberos)");
    }

    /// <summary>SSL client-certificate login: <c>sslLogin(None)</c> posted to <c>&lt;hub&gt;/ssllogin</c> with the
    /// client certificate from <c>cert</c> presented in the TLS handshake.</summary>
    public async Task SslLoginAsync(CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(Options.Cert) || !File.Exists(Options.Cert))
            throw new PungiException(ErrorCodes.KojiLoginFailed, $"SSL login to {HubUrl} needs the client certificate file 'cert' (got '{Options.Cert ?? "(unset)"}')");
        var sinfo = await SendAsync("sslLogin", [null], retry: true, timeout: Options.AuthTimeout, ct).ConfigureAwait(false);
        SetSession(sinfo, "SSL");
    }

    /// <summary>
    /// GSSAPI (Kerberos) login: <c>sslLogin(None)</c> to <c>&lt;hub&gt;/ssllogin</c> with HttpClient's Negotiate
    /// authentication using the default credential cache; a keytab is handed to GSSAPI through
    /// <c>KRB5_CLIENT_KTNAME</c>. Coded to koji's <c>gssapi_login</c>; not exercised against a KDC here.
    /// </summary>
    public async Task GssapiLoginAsync(CancellationToken ct = default)
    {
        if (!string.IsNullOrEmpty(Options.Keytab))
            Environment.SetEnvironmentVariable("KRB5_CLIENT_KTNAME", Options.Keytab);
        using var negotiating = new HttpClient(CreateHandler(Options, negotiate: true), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var body = Encoding.UTF8.GetBytes(XmlRpcWriter.Call("sslLogin", [null]));
        var resp = await PostAsync(negotiating, new Uri(HubUrl + "/ssllogin"), [], body, Options.AuthTimeout, ct).ConfigureAwait(false);
        if (resp.Fault is { } f) throw KojiFaultException.Create(f.Code, f.Message, "sslLogin");
        SetSession(resp.Value, "GSSAPI");
    }

    /// <summary>Password login (<c>login(user, password, opts=None)</c>), kept for hubs and tests that allow it.</summary>
    public async Task PasswordLoginAsync(string user, string password, CancellationToken ct = default)
    {
        var sinfo = await SendAsync("login", EncodeArgs([user, password], Kw(("opts", null))), retry: true, timeout: Options.AuthTimeout, ct).ConfigureAwait(false);
        SetSession(sinfo, "NORMAL");
    }

    /// <summary>Ends the session at the hub (<c>logout()</c>) and forgets it.</summary>
    public async Task LogoutAsync(CancellationToken ct = default)
    {
        if (_session is null) return;
        try
        {
            // koji's ClientSession.logout(session_id=None) sends the keyword even when None (transcript 52)
            await SendAsync("logout", EncodeArgs([], Kw(("session_id", null))), retry: false, timeout: null, ct).ConfigureAwait(false);
        }
        finally
        {
            _session = null;
        }
    }

    private void SetSession(object? sinfo, string authType)
    {
        if (sinfo is not Dictionary<string, object?> d || !d.ContainsKey("session-id") || KojiValue.Str(d, "session-key") is not { } key)
            throw new PungiException(ErrorCodes.KojiLoginFailed, $"login to {HubUrl} returned no session (got {(sinfo is null ? "nil" : sinfo.GetType().Name)})");
        _session = new KojiSession(KojiValue.Long(d, "session-id"), key, KojiValue.Bool(d, "header-auth"), authType);
    }

    // ---------------------------------------------------------------- transport

    private async Task<object?> SendAsync(string method, IReadOnlyList<object?> parameters, bool retry, TimeSpan? timeout, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(XmlRpcWriter.Call(method, parameters));
        // Prepared once: a retry resends the same call number, as koji does (the hub then answers or says RetryError).
        var (url, headers) = Prepare(method);
        var loggedIn = _session is not null;
        var tries = 0;
        while (true)
        {
            tries++;
            try
            {
                var resp = await PostAsync(_http, url, headers, body, timeout ?? Options.Timeout, ct).ConfigureAwait(false);
                if (resp.Fault is { } f)
                {
                    var err = KojiFaultException.Create(f.Code, f.Message, method);
                    if (err is KojiServerOffline && Options.OfflineRetry)
                    {
                        OnRetry?.Invoke(method, tries, err);
                        await Task.Delay(Options.OfflineRetryInterval, ct).ConfigureAwait(false);
                        tries = 0; // an outage is not a failed try
                        continue;
                    }
                    throw err;
                }
                return resp.Value;
            }
            catch (KojiTransportException e)
            {
                if (e.CertificateError || !retry || (!loggedIn && !Options.AnonRetry) || tries > Options.MaxRetries)
                    throw new PungiException(e.Code, e.Message + (tries > 1 ? $" (after {tries} tries)" : "") +
                        (!loggedIn && !Options.AnonRetry && !e.CertificateError && retry ? "; anonymous calls are not retried unless anon_retry is set" : ""), inner: e);
                OnRetry?.Invoke(method, tries, e);
            }
            if (tries > 1)
                await Task.Delay(Options.RetryInterval, ct).ConfigureAwait(false);
        }
    }

    private (Uri Url, List<KeyValuePair<string, string>> Headers) Prepare(string method)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var s = _session;
        if (s is not null)
        {
            long callnum;
            lock (_lock)
                callnum = s.NextCallNumber++;
            var id = s.Id.ToString(CultureInfo.InvariantCulture);
            var num = callnum.ToString(CultureInfo.InvariantCulture);
            if (s.HeaderAuth)
            {
                headers.Add(new("Koji-Session-Id", id));
                headers.Add(new("Koji-Session-Key", s.Key));
                headers.Add(new("Koji-Session-Callnum", num));
                return (HubUrl, headers);
            }
            // pre-1.30 hubs: the session travels in the query string
            return (new Uri($"{HubUrl}?session-id={id}&session-key={Uri.EscapeDataString(s.Key)}&callnum={num}"), headers);
        }
        return (method == "sslLogin" ? new Uri(HubUrl + "/ssllogin") : HubUrl, headers);
    }

    private async Task<XmlRpcResponse> PostAsync(HttpClient http, Uri url, List<KeyValuePair<string, string>> headers, byte[] body, TimeSpan timeout, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        req.Headers.TryAddWithoutValidation("User-Agent", "koji/1");
        foreach (var (k, v) in headers)
            req.Headers.TryAddWithoutValidation(k, v);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
            cts.CancelAfter(timeout);
        try
        {
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            if (resp.Headers.TryGetValues("Koji-Version", out var versions))
                HubVersion = versions.FirstOrDefault();
            if (resp.StatusCode != HttpStatusCode.OK)
            {
                var text = await resp.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
                throw new KojiTransportException(ErrorCodes.KojiHttpError,
                    $"Koji hub {HubUrl} answered HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}: {(text.Length > 200 ? text[..200] : text).Trim()}", false);
            }
            await using var network = await resp.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            await using var buffered = await SpooledCopy.CopyAsync(network, Options.MaxResponseBytes, HubUrl, cts.Token).ConfigureAwait(false);
            return XmlRpcReader.ReadResponse(buffered, Options.MaxResponseBytes);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new KojiTransportException(ErrorCodes.KojiHubUnreachable, $"Koji hub {HubUrl} did not answer within {timeout.TotalSeconds:0.###} s", false, e);
        }
        catch (HttpRequestException e)
        {
            var cert = e.InnerException is AuthenticationException;
            throw new KojiTransportException(ErrorCodes.KojiHubUnreachable, $"cannot reach Koji hub {HubUrl}: {e.Message}{(e.InnerException is { } i ? " (" + i.Message + ")" : "")}", cert, e);
        }
        catch (IOException e)
        {
            throw new KojiTransportException(ErrorCodes.KojiHubUnreachable, $"connection to Koji hub {HubUrl} broke: {e.Message}", false, e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // HttpClient lets this one through unwrapped when the hub resets a connection right after accepting it
            // (a restarting hub): as retryable as any other broken connection.
            throw new KojiTransportException(ErrorCodes.KojiHubUnreachable, $"connection to Koji hub {HubUrl} broke: {e.Message}", false, e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}

/// <summary>A failed HTTP exchange (retryable unless a certificate problem).</summary>
internal sealed class KojiTransportException(string code, string message, bool certificateError, Exception? inner = null)
    : PungiException(code, message, inner: inner)
{
    public bool CertificateError { get; } = certificateError;
}

/// <summary>Reads a response body fully (so timeouts and cancellation apply to the whole body) into memory,
/// spilling to a temporary file past 16 MiB, and refuses bodies over the limit.</summary>
internal static class SpooledCopy
{
    private const int MemoryLimit = 16 << 20;

    public static async Task<Stream> CopyAsync(Stream source, long maxBytes, Uri from, CancellationToken ct)
    {
        Stream target = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                total += n;
                if (total > maxBytes)
                    throw new PungiException(ErrorCodes.KojiResponseTooLarge, $"response from {from} is larger than {maxBytes} bytes");
                if (target is MemoryStream ms && ms.Length + n > MemoryLimit)
                {
                    var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                    ms.Position = 0;
                    await ms.CopyToAsync(file, ct).ConfigureAwait(false);
                    target = file;
                }
                await target.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }
            target.Position = 0;
            return target;
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
