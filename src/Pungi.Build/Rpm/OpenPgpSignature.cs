using System.Buffers.Binary;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>
/// The parts of an OpenPGP signature packet (RFC 4880 §5.2, RFC 9580) that say who signed: version 3 carries the
/// signer's key ID in a fixed field, version 4+ in an issuer (16) or issuer-fingerprint (33) subpacket, hashed or
/// not. rpm stores such packets in RSAHEADER, DSAHEADER, PGP and GPG.
/// </summary>
public sealed record OpenPgpSignature(
    int Version,
    int PublicKeyAlgorithm,
    int HashAlgorithm,
    long CreationTime,
    string KeyId,
    string? Fingerprint)
{
    /// <summary>
    /// The short form Pungi's <c>sigkeys</c> and Koji's signed-copy directories use: the last 8 hex digits of the
    /// key ID, lower case (kobo/koji <c>get_sigpacket_key_id</c>; pungi-spec §2.2.1 lowercases sigkeys).
    /// </summary>
    public string SigKey => KeyId[^8..];

    public string PublicKeyAlgorithmName => PublicKeyAlgorithm switch
    {
        1 or 2 or 3 => "RSA",
        17 => "DSA",
        19 => "ECDSA",
        22 => "EdDSA",
        27 => "Ed25519",
        28 => "Ed448",
        _ => $"algo {PublicKeyAlgorithm}",
    };

    public string HashAlgorithmName => HashAlgorithm switch
    {
        1 => "MD5",
        2 => "SHA1",
        8 => "SHA256",
        9 => "SHA384",
        10 => "SHA512",
        11 => "SHA224",
        12 => "SHA3-256",
        14 => "SHA3-512",
        _ => $"hash {HashAlgorithm}",
    };

    /// <summary>Parses one signature packet; throws <see cref="ErrorCodes.RpmBadSignature"/> on malformed input.</summary>
    public static OpenPgpSignature Parse(ReadOnlySpan<byte> packet, string file, string tagName)
    {
        try
        {
            return ParseCore(packet) ?? throw new FormatException("no issuer key ID in the packet");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new PungiException(ErrorCodes.RpmBadSignature, $"the {tagName} signature is not a valid OpenPGP signature packet: {ex.Message}", file);
        }
    }

    private static OpenPgpSignature? ParseCore(ReadOnlySpan<byte> p)
    {
        if (p.Length < 2 || (p[0] & 0x80) == 0) throw new FormatException("not an OpenPGP packet");
        int tag, pos, len;
        if ((p[0] & 0x40) == 0)
        {
            // Old format: tag in bits 5-2, length type in bits 1-0.
            tag = (p[0] >> 2) & 0x0f;
            switch (p[0] & 3)
            {
                case 0: len = p[1]; pos = 2; break;
                case 1: len = BinaryPrimitives.ReadUInt16BigEndian(p[1..]); pos = 3; break;
                case 2: len = checked((int)BinaryPrimitives.ReadUInt32BigEndian(p[1..])); pos = 5; break;
                default: len = p.Length - 1; pos = 1; break;
            }
        }
        else
        {
            tag = p[0] & 0x3f;
            int o1 = p[1];
            if (o1 < 192) { len = o1; pos = 2; }
            else if (o1 < 224) { len = ((o1 - 192) << 8) + p[2] + 192; pos = 3; }
            else if (o1 == 255) { len = checked((int)BinaryPrimitives.ReadUInt32BigEndian(p[2..])); pos = 6; }
            else throw new FormatException("partial body length in a signature packet");
        }
        if (tag != 2) throw new FormatException($"packet tag {tag} is not a signature (2)");
        if (len < 0 || len > p.Length - pos) throw new FormatException("packet length runs past the data");
        var body = p.Slice(pos, len);
        int version = body[0];
        if (version == 3)
        {
            if (body[1] != 5) throw new FormatException("v3 signature with a hashed length other than 5");
            long time = BinaryPrimitives.ReadUInt32BigEndian(body[3..]);
            string keyId = Convert.ToHexStringLower(body.Slice(7, 8));
            return new OpenPgpSignature(3, body[15], body[16], time, keyId, null);
        }
        if (version is 4 or 5 or 6)
        {
            int pk = body[2], hash = body[3];
            int at = 4;
            int lenSize = version == 6 ? 4 : 2;
            long time = 0;
            string? keyId = null, fpr = null;
            for (int area = 0; area < 2; area++)
            {
                int areaLen = lenSize == 4 ? checked((int)BinaryPrimitives.ReadUInt32BigEndian(body[at..])) : BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
                at += lenSize;
                if (areaLen < 0 || areaLen > body.Length - at) throw new FormatException("subpacket area runs past the packet");
                var sub = body.Slice(at, areaLen);
                at += areaLen;
                int s = 0;
                while (s < sub.Length)
                {
                    int slen, o = sub[s];
                    if (o < 192) { slen = o; s += 1; }
                    else if (o < 255) { slen = ((o - 192) << 8) + sub[s + 1] + 192; s += 2; }
                    else { slen = checked((int)BinaryPrimitives.ReadUInt32BigEndian(sub[(s + 1)..])); s += 5; }
                    if (slen < 1 || slen > sub.Length - s) throw new FormatException("subpacket runs past its area");
                    int type = sub[s] & 0x7f;
                    var d = sub.Slice(s + 1, slen - 1);
                    switch (type)
                    {
                        case 2 when d.Length >= 4 && time == 0:
                            time = BinaryPrimitives.ReadUInt32BigEndian(d);
                            break;
                        case 16 when d.Length == 8:
                            keyId ??= Convert.ToHexStringLower(d);
                            break;
                        case 33 when d.Length >= 21:
                            fpr ??= Convert.ToHexStringLower(d[1..]);
                            break;
                    }
                    s += slen;
                }
            }
            // A v4 key ID is the low 64 bits of its 20-byte fingerprint; v5/v6 use the high 64 bits of 32 bytes.
            if (keyId is null && fpr is not null)
                keyId = fpr.Length == 40 ? fpr[^16..] : fpr[..16];
            return keyId is null ? null : new OpenPgpSignature(version, pk, hash, time, keyId, fpr);
        }
        throw new FormatException($"unsupported signature packet version {version}");
    }

    /// <summary>As rpm's <c>:pgpsig</c> formatter starts: <c>RSA/SHA512, …, Key ID 467e8717b41e5f1a</c> (date left out).</summary>
    public override string ToString() => $"{PublicKeyAlgorithmName}/{HashAlgorithmName}, Key ID {KeyId}";
}
