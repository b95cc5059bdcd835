using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

/// <summary>Signer key IDs from real rpmsign signatures (RSA, DSA, EdDSA) and from hand-built v3/v4 packets.</summary>
public partial class RpmSignatureTests
{
    private static readonly string Sample = Path.Combine(TestPaths.PungiDummyRpms, "x86_64", "dummy-bash-4.2.37-6.x86_64.rpm");

    [Fact]
    public void UnsignedFixture_HasNoKey()
    {
        var p = RpmHeaderReader.Read(Sample);
        Assert.Null(p.SignatureKeyId);
        Assert.Null(p.SigKey);
    }

    [GeneratedRegex(@"^(\w+)/(\w+), .*, Key ID ([0-9a-f]{16})$")]
    private static partial Regex PgpSig();

    [SkippableFact]
    public void RpmsignSignatures_RsaDsaEdDsa_KeyIdsMatchRpm()
    {
        string rpm = RpmInterop.RequireTool("rpm");
        RpmInterop.RequireTool("rpmsign");
        string gpg = RpmInterop.RequireTool("gpg");
        var dir = Directory.CreateTempSubdirectory("pungi-rpm-sign-").FullName;
        string keyDir = Path.Combine(dir, "keys");
        var env = new Dictionary<string, string> { ["GNUPGHOME"] = keyDir };
        try
        {
            var rsa = Path.Combine(dir, "rsa.rpm");
            var dsa = Path.Combine(dir, "dsa.rpm");
            var ed = Path.Combine(dir, "ed.rpm");
            foreach (var f in new[] { rsa, dsa, ed }) File.Copy(Sample, f);
            var before = RpmFile.Open(rsa);

            // The fixture script: throw-away RSA key, prints the short key id Pungi uses.
            string script = Path.Combine(TestPaths.Fixtures, "rpm-facts", "sign-rpms.sh");
            string printed = RpmInterop.Run("/bin/bash", [script, keyDir, rsa]).Trim().Split('\n')[^1];

            foreach (var (file, algo, uid) in new[] { (dsa, "dsa2048", "dsa@example.invalid"), (ed, "ed25519", "ed@example.invalid") })
            {
                RpmInterop.Run(gpg, ["--batch", "--passphrase", "", "--quick-gen-key", $"T <{uid}>", algo, "sign", "never"], env);
                RpmInterop.Run("rpmsign", ["--addsign", "--define", $"__gpg {gpg}", "--define", $"_gpg_name {uid}", "--define", $"_gpg_path {keyDir}", file], env);
            }

            foreach (var (file, tag, algoName) in new[] { (rsa, "RSAHEADER", "RSA"), (dsa, "DSAHEADER", "DSA"), (ed, "DSAHEADER", "EdDSA") })
            {
                string pgpsig = RpmInterop.Run(rpm, ["-qp", "--nosignature", "--nodigest", "--qf", $"%{{{tag}:pgpsig}}", file]).Trim();
                var m = PgpSig().Match(pgpsig);
                Assert.True(m.Success, $"rpm printed '{pgpsig}' for {tag}");
                var p = RpmHeaderReader.Read(file);
                Assert.Equal(m.Groups[3].Value, p.SignatureKeyId);
                Assert.Equal(m.Groups[3].Value[^8..], p.SigKey);
                var sig = Assert.Single(RpmFile.Open(file).GetSignatures());
                Assert.Equal(tag, sig.Tag);
                Assert.Equal((algoName, m.Groups[2].Value, 4), (sig.Signature.PublicKeyAlgorithmName, sig.Signature.HashAlgorithmName, sig.Signature.Version));
                // Header-only signatures go into the reserved space: size and header range do not change.
                var after = RpmFile.Open(file);
                Assert.Equal((before.HeaderStart, before.HeaderEnd, before.FileSize), (after.HeaderStart, after.HeaderEnd, after.FileSize));
            }
            Assert.Equal(printed, RpmHeaderReader.Read(rsa).SigKey);
        }
        finally
        {
            if (RpmInterop.Find("gpgconf") is { } gpgconf) RpmInterop.Run(gpgconf, ["--kill", "gpg-agent"], env);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void V3Packet_KeyIdFromFixedField()
    {
        // Old-format packet, tag 2, one-byte length; v3 body: ver, hashed len 5, type, time(4), key id(8), pk algo, hash algo, left16, MPI.
        byte[] body = [3, 5, 0x00, 0x5f, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 17, 2, 0xab, 0xcd, 0x00, 0x08, 0xff];
        byte[] packet = [0x88, (byte)body.Length, .. body];
        var sig = OpenPgpSignature.Parse(packet, "x.rpm", "SIGPGP");
        Assert.Equal((3, "1122334455667788", "55667788", "DSA", "SHA1", 0x5f000001L),
            (sig.Version, sig.KeyId, sig.SigKey, sig.PublicKeyAlgorithmName, sig.HashAlgorithmName, sig.CreationTime));
    }

    [Fact]
    public void V4Packet_IssuerFingerprintOnly_KeyIdIsLow64Bits()
    {
        // New-format packet; hashed area: creation time (2) and issuer fingerprint (33, v4, 20 bytes); empty unhashed area.
        byte[] fpr = Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF01234567");
        byte[] hashed = [5, 2, 0x60, 0, 0, 0, 22, 33, 4, .. fpr];
        byte[] body = [4, 0x00, 22, 8, 0, (byte)hashed.Length, .. hashed, 0, 0, 0xab, 0xcd];
        byte[] packet = [0xc2, (byte)body.Length, .. body];
        var sig = OpenPgpSignature.Parse(packet, "x.rpm", "RSAHEADER");
        Assert.Equal(("89abcdef01234567", "01234567", "EdDSA", "SHA256"), (sig.KeyId, sig.SigKey, sig.PublicKeyAlgorithmName, sig.HashAlgorithmName));
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", sig.Fingerprint);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 })]                       // not a packet
    [InlineData(new byte[] { 0xb4, 0x03, 0x01, 0x02, 0x03 })]     // old format, tag 13 (user id)
    [InlineData(new byte[] { 0x88, 0x7f, 0x03 })]                 // length past the data
    [InlineData(new byte[] { 0x88, 0x03, 0x07, 0x00, 0x00 })]     // version 7
    [InlineData(new byte[] { 0x8a, 0xff, 0xff, 0xff, 0xff })]     // 4-byte length overflowing int
    public void MalformedPacket_IsBadSignature(byte[] packet)
    {
        var ex = Assert.Throws<PungiException>(() => OpenPgpSignature.Parse(packet, "x.rpm", "RSAHEADER"));
        Assert.Equal(ErrorCodes.RpmBadSignature, ex.Code);
        Assert.Equal("x.rpm", ex.File);
    }
}
