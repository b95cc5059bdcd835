using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pungi.Build.Tests.Koji;

internal sealed record HttpRequestData(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, X509Certificate2? ClientCertificate);

internal sealed record HttpResponseData(int Status, string Reason, string ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null);

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 over a raw TcpListener (keep-alive, Content-Length bodies), optionally TLS
/// with a server certificate and a requested client certificate — what HttpListener cannot do on Linux.
/// </summary>
internal sealed class MiniHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<HttpRequestData, CancellationToken, Task<HttpResponseData>> _handler;
    private readonly X509Certificate2? _serverCert;
    private readonly Task _acceptLoop;

    public MiniHttpServer(Func<HttpRequestData, CancellationToken, Task<HttpResponseData>> handler, X509Certificate2? serverCert = null)
    {
        _handler = handler;
        _serverCert = serverCert;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>While this says true, every connection is closed without an answer (a hub process that is down:
    /// new connections are reset, and a kept-alive one breaks at its next request).</summary>
    public Func<bool>? Down { get; set; }
    public string BaseUrl => $"{(_serverCert is null ? "http" : "https")}://127.0.0.1:{Port}";

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_cts.Token);
            }
            catch (Exception) when (_cts.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (Down?.Invoke() == true)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, as a refused or dropped connection looks
                client.Dispose();
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            X509Certificate2? clientCert = null;
            if (_serverCert is not null)
            {
                var ssl = new SslStream(stream, false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _serverCert,
                    ClientCertificateRequired = true,
                    // like mod_ssl's "SSLVerifyClient optional": take what is offered, let the hub decide
#pragma warning disable CA5359 // a test server: the simulated hub inspects the client certificate itself
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
                }, _cts.Token);
                if (ssl.RemoteCertificate is { } rc) clientCert = new X509Certificate2(rc);
                stream = ssl;
            }
            var reader = new BufferedStream(stream, 65536);
            while (!_cts.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(reader, _cts.Token);
                if (head is null) return;
                if (Down?.Invoke() == true)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                if (parts.Length < 3) return;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var l in lines.Skip(1))
                {
                    var c = l.IndexOf(':', StringComparison.Ordinal);
                    if (c > 0) headers[l[..c].Trim()] = l[(c + 1)..].Trim();
                }
                var len = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
                var body = new byte[len];
                await reader.ReadExactlyAsync(body, _cts.Token);
                var target = parts[1];
                var q = target.IndexOf('?', StringComparison.Ordinal);
                var req = new HttpRequestData(parts[0], q < 0 ? target : target[..q], q < 0 ? "" : target[(q + 1)..], headers, body, clientCert);
                var resp = await _handler(req, _cts.Token);
                var sb = new StringBuilder();
                sb.Append("HTTP/1.1 ").Append(resp.Status).Append(' ').Append(resp.Reason).Append("\r\n");
                sb.Append("Content-Type: ").Append(resp.ContentType).Append("\r\n");
                sb.Append("Content-Length: ").Append(resp.Body.Length).Append("\r\n");
                foreach (var (k, v) in resp.Headers ?? [])
                    sb.Append(k).Append(": ").Append(v).Append("\r\n");
                sb.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), _cts.Token);
                await stream.WriteAsync(resp.Body, _cts.Token);
                await stream.FlushAsync(_cts.Token);
                if (headers.TryGetValue("Connection", out var conn) && conn.Equals("close", StringComparison.OrdinalIgnoreCase))
                    return;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException
                                     or System.Security.Authentication.AuthenticationException)
        {
            // client went away (e.g. after its own timeout) or the server is stopping
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream s, CancellationToken ct)
    {
        var buf = new List<byte>(512);
        var one = new byte[1];
        while (true)
        {
            var n = await s.ReadAsync(one, ct);
            if (n == 0) return null;
            buf.Add(one[0]);
            var c = buf.Count;
            if (c >= 4 && buf[c - 4] == '\r' && buf[c - 3] == '\n' && buf[c - 2] == '\r' && buf[c - 1] == '\n')
                return Encoding.ASCII.GetString(buf.ToArray(), 0, c - 4);
            if (c > 65536) throw new IOException("request head too large");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Stop();
        try { await _acceptLoop; } catch (OperationCanceledException) { }
        _cts.Dispose();
    }
}
