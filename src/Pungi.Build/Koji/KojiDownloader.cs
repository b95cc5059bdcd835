using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>What Koji knows about a file, to validate a download: size, and a digest (md5/sha1/sha256/sha512 of the
/// whole file, e.g. from <c>listArchives</c> or <c>getRPMChecksums</c>), and/or an RPM's <c>payloadhash</c> (the
/// MD5 of header+payload, which stays the same in signed copies).</summary>
public sealed record KojiFileCheck(long? Size = null, string? Algorithm = null, string? Digest = null, string? RpmPayloadHash = null);

/// <summary>
/// Fetches files from Koji's <c>topurl</c> into a cache directory that mirrors the topdir layout (upstream's
/// KojiDownloadProxy): one download per file at a time (in-process lock and a <c>.lock</c> file for other
/// processes), written to a temporary name, validated, then renamed into place, so the cache never holds a partial
/// or corrupt file. A cached file that passes the check is reused.
/// </summary>
public sealed class KojiDownloader(HttpClient http, string topUrl, string cacheDir)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public string TopUrl { get; } = topUrl.TrimEnd('/');
    public string CacheDir { get; } = Path.GetFullPath(cacheDir);

    /// <summary>
    /// The cache path of <paramref name="relativePath"/> (relative to topdir, e.g. packages/…/x.rpm). The path comes
    /// from the hub (build names, volumes, RPM rows), so it goes through the one guard for input names
    /// (<see cref="Compose.SafePath"/>): no <c>..</c>, control characters, over-long names, or escape from the cache.
    /// The file name is kept short enough for the <c>.part-&lt;pid&gt;</c> and <c>.lock</c> names beside it.
    /// </summary>
    public string CachePath(string relativePath)
    {
        var rel = relativePath.TrimStart('/'); // PathInfo joins topurl and a path that may start with '/'
        var full = Compose.SafePath.Child(CacheDir, rel, "Koji file path");
        var name = Compose.SafePath.FileName(Path.GetFileName(full), "Koji file name");
        if (System.Text.Encoding.UTF8.GetByteCount(name) > Compose.SafePath.NameMax - TempSuffixMax)
            throw new PungiException(ErrorCodes.UnsafeName,
                $"Koji file name '{name[..Math.Min(name.Length, 120)]}…' is too long for the download cache (at most {Compose.SafePath.NameMax - TempSuffixMax} bytes).");
        return full;
    }

    /// <summary>Room for <c>.part-&lt;pid&gt;</c> (pid up to 10 digits) beside the cached name.</summary>
    private const int TempSuffixMax = 16;

    public async Task<string> DownloadAsync(string relativePath, KojiFileCheck? check = null, CancellationToken ct = default)
        => await DownloadCoreAsync(relativePath, check, missingIsNull: false, ct).ConfigureAwait(false)
            ?? throw new PungiException(ErrorCodes.KojiDownloadFailed, $"{relativePath} is not on {TopUrl}");

    /// <summary>As <see cref="DownloadAsync"/>, but null when the server answers 404 (the copy does not exist, e.g. a
    /// signed copy not written yet); any other failure still throws.</summary>
    public Task<string?> TryDownloadAsync(string relativePath, KojiFileCheck? check = null, CancellationToken ct = default)
        => DownloadCoreAsync(relativePath, check, missingIsNull: true, ct);

    private async Task<string?> DownloadCoreAsync(string relativePath, KojiFileCheck? check, bool missingIsNull, CancellationToken ct)
    {
        var dest = CachePath(relativePath);
        var gate = Locks.GetOrAdd(dest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            await using var fileLock = await AcquireFileLockAsync(dest + ".lock", ct).ConfigureAwait(false);
            if (File.Exists(dest) && Validate(dest, check) is null)
                return dest;
            var url = TopUrl + "/" + string.Join('/', relativePath.TrimStart('/').Split('/').Select(Uri.EscapeDataString));
            var tmp = dest + ".part-" + Environment.ProcessId;
            try
            {
                using (var resp = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
                {
                    if (missingIsNull && resp.StatusCode == HttpStatusCode.NotFound)
                        return null;
                    if (resp.StatusCode != HttpStatusCode.OK)
                        throw new PungiException(ErrorCodes.KojiDownloadFailed, $"downloading {url} failed: HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}");
                    await using var src = await resp.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                    await using var dst = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                    await src.CopyToAsync(dst, ct).ConfigureAwait(false);
                }
                if (Validate(tmp, check) is { } problem)
                    throw new PungiException(ErrorCodes.KojiChecksumMismatch, $"{url}: {problem}; the download was discarded");
                File.Move(tmp, dest, overwrite: true);
                return dest;
            }
            catch (HttpRequestException e)
            {
                throw new PungiException(ErrorCodes.KojiDownloadFailed, $"downloading {url} failed: {e.Message}", inner: e);
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Null when <paramref name="path"/> matches <paramref name="check"/>, else what differs.</summary>
    public static string? Validate(string path, KojiFileCheck? check)
    {
        if (check is null) return null;
        var size = new FileInfo(path).Length;
        if (check.Size is { } want && want != size)
            return $"size is {size} bytes, Koji says {want}";
        if (check.Digest is { } digest && check.Algorithm is { } alg)
        {
            using var stream = File.OpenRead(path);
            var got = Convert.ToHexStringLower(alg.ToLowerInvariant() switch
            {
                "md5" => MD5.HashData(stream),
                "sha1" => SHA1.HashData(stream),
                "sha256" => SHA256.HashData(stream),
                "sha512" => SHA512.HashData(stream),
                _ => throw new PungiException(ErrorCodes.KojiChecksumMismatch, $"unknown checksum type '{alg}'"),
            });
            if (!got.Equals(digest, StringComparison.OrdinalIgnoreCase))
                return $"{alg} is {got}, Koji says {digest}";
        }
        if (check.RpmPayloadHash is { } payloadHash)
        {
            using var stream = File.OpenRead(path);
            var got = RpmHeaderPayloadMd5(stream);
            if (got is null)
                return "not an RPM (no signature header)";
            if (!got.Equals(payloadHash, StringComparison.OrdinalIgnoreCase))
                return $"header+payload MD5 is {got}, Koji's payloadhash is {payloadHash}";
        }
        return null;
    }

    /// <summary>MD5 of everything after the lead and the signature header (rpm's SIGMD5, Koji's payloadhash).</summary>
    public static string? RpmHeaderPayloadMd5(Stream rpm)
    {
        Span<byte> intro = stackalloc byte[16];
        rpm.Seek(96, SeekOrigin.Begin);
        if (rpm.ReadAtLeast(intro, 16, throwOnEndOfStream: false) < 16) return null;
        if (intro[0] != 0x8e || intro[1] != 0xad || intro[2] != 0xe8) return null;
        long il = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(intro[8..]);
        long dl = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(intro[12..]);
        var sigSize = 16 + 16 * il + dl;
        sigSize += (8 - sigSize % 8) % 8; // the signature header is padded to 8 bytes
        rpm.Seek(96 + sigSize, SeekOrigin.Begin);
        return Convert.ToHexStringLower(MD5.HashData(rpm));
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 6000)
            {
                await Task.Delay(100, ct).ConfigureAwait(false); // another process downloads the same file
            }
        }
    }
}
