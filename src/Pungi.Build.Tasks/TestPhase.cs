using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Checksums;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Test phase (spec §2.20, §7.6), the last before STATUS=FINISHED: images.json is reloaded and validated, and every
/// image in it is checked: it exists with the listed size; an iso has <c>CD001</c> at 0x8001 and the volume ID listed;
/// a bootable x86_64/i386 image has an MBR, GPT or El Torito record; <c>createiso_max_size</c> is respected (an error
/// only when strict); and the implanted md5 verifies as <c>checkisomd5</c> would. Every problem is a coded error.
/// </summary>
public sealed class TestPhase : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    /// <summary><c>createiso_max_size</c>: Include = bytes, <c>Variant</c>/<c>Arch</c> metadata.</summary>
    public ITaskItem[] CreateisoMaxSize { get; set; } = [];
    public ITaskItem[] CreateisoMaxSizeIsStrict { get; set; } = [];

    protected override string PhaseName => "Test";

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        var path = layout.Metadata("images.json");
        if (!File.Exists(path)) return;
        var images = ImagesJson.Read(path);
        var maxSize = ConfigItems.VariantArch(CreateisoMaxSize, "CreateisoMaxSize");
        var strict = ConfigItems.VariantArch(CreateisoMaxSizeIsStrict, "CreateisoMaxSizeIsStrict");
        var checkedMd5 = new Dictionary<string, IsoMd5Result>(StringComparer.Ordinal);
        // The implanted-md5 check reads the whole image: an image unchanged since it last passed (same size, mtime,
        // ctime, inode) is not read again. The cheap checks (size, CD001, boot record, volume ID) run every time.
        var cache = FileFactCache.Load(Path.Combine(layout.WorkTopdir(null), "image-tests.cache"));
        int count = 0;
        foreach (var (variant, arches) in images.Images)
            foreach (var (arch, list) in arches)
                foreach (var image in list)
                {
                    count++;
                    try
                    {
                        Check(layout, variant, arch, image, maxSize, strict, checkedMd5, cache);
                    }
                    catch (PungiException e)
                    {
                        // Keep going: report every broken image in one run.
                        LogPungiError(new PungiException(e.Code, e.Message, e.File ?? Path.Combine(layout.ComposeDir, image.Path)));
                    }
                }
        cache.Save();
        LogProgress($"Test: {count} image entries checked ({cache.Misses} implanted md5 sums verified, {cache.Hits} unchanged since they last verified)");
    }

    private void Check(ComposeLayout layout, string variant, string arch, ImageEntry image, List<VariantArchValue<string>> maxSize,
        List<VariantArchValue<string>> strict, Dictionary<string, IsoMd5Result> checkedMd5, FileFactCache cache)
    {
        var file = Path.Combine(layout.ComposeDir, image.Path);
        if (!File.Exists(file))
            throw new PungiException(ErrorCodes.ImageTestMissing, $"{image.Path} is listed in images.json ({variant}.{arch}) but does not exist.", file);
        long size = new FileInfo(file).Length;
        if (size != image.Size)
            throw new PungiException(ErrorCodes.ImageTestSizeMismatch, $"{image.Path} is {size} bytes, images.json says {image.Size}.", file);
        if (image.Format != "iso") return;

        using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            if (!At(fs, 0x8001, "CD001"u8))
                throw new PungiException(ErrorCodes.ImageTestNotIso, $"{image.Path} is not an ISO 9660 image: no CD001 at 0x8001.", file);
            if (image.Bootable && image.Arch is "x86_64" or "i386" &&
                !At(fs, 0x1FE, [0x55, 0xAA]) && !At(fs, 0x200, "EFI PART"u8) && !At(fs, 0x8801, "CD001\u0001EL TORITO SPECIFICATION"u8))
                throw new PungiException(ErrorCodes.ImageTestNotBootable, $"{image.Path} is marked bootable but has no MBR, GPT or El Torito boot record.", file);
        }

        // createiso_max_size: the first value for the variant/arch; over it a warning, an error when any strict value is true.
        var limits = ConfigLookup.GetArchVariantData(maxSize, arch, variant);
        if (limits.Count > 0 && long.TryParse(limits[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long limit) && size > limit)
        {
            var message = $"{image.Path} is {size} bytes, more than createiso_max_size {limit}.";
            if (ConfigLookup.GetArchVariantData(strict, arch, variant).Any(s => ConfigItems.Bool(s, false)))
                throw new PungiException(ErrorCodes.ImageTestTooLarge, message, file);
            LogWarning(ErrorCodes.ImageTestTooLarge, message, file);
        }

        using (var reader = IsoReader.Open(file))
        {
            if (image.VolumeId is not null && reader.VolumeId.TrimEnd() != image.VolumeId)
                throw new PungiException(ErrorCodes.ImageTestVolumeIdMismatch, $"{image.Path} has volume ID '{reader.VolumeId.TrimEnd()}', images.json says '{image.VolumeId}'.", file);
        }
        if (image.ImplantMd5 is not null)
        {
            // Source images are listed under every binary arch: check each file once.
            if (!checkedMd5.TryGetValue(image.Path, out var md5))
                checkedMd5[image.Path] = md5 = CheckMd5(cache, file);
            if (!md5.Passed || md5.ImplantedMd5 != image.ImplantMd5)
                throw new PungiException(ErrorCodes.ImageTestMd5Failed,
                    $"{image.Path}: implanted md5 {md5.ImplantedMd5 ?? "(none)"} {(md5.Passed ? "verifies" : "does not verify")} (computed {md5.ComputedMd5}); images.json says {image.ImplantMd5}.", file);
        }
    }

    /// <summary>
    /// <see cref="IsoMd5.Check"/>, remembered only when it passed (a failure is read again, and reported again, on
    /// every run): the cached fact is the implanted sum, which a pass means the computed sum equals.
    /// </summary>
    private IsoMd5Result CheckMd5(FileFactCache cache, string file)
    {
        IsoMd5Result? fresh = null;
        var passedWith = cache.Get(file, "isomd5-passed", () =>
        {
            fresh = IsoMd5.Check(file, CancellationToken);
            // A value that can never equal a remembered pass: the file's failures are not remembered.
            return fresh is { Passed: true, ImplantedMd5: { } md5 } && md5 == fresh.ComputedMd5 ? md5 : "";
        });
        if (fresh is not null) return fresh;
        if (passedWith.Length == 0) return IsoMd5.Check(file, CancellationToken);
        return new IsoMd5Result(true, true, passedWith, passedWith, null, 0, false);
    }

    private static bool At(FileStream fs, long offset, ReadOnlySpan<byte> expected)
    {
        if (fs.Length < offset + expected.Length) return false;
        var buf = new byte[expected.Length];
        fs.Position = offset;
        fs.ReadExactly(buf);
        return buf.AsSpan().SequenceEqual(expected);
    }
}
