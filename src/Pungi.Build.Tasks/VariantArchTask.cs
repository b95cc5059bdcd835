using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>A task of one variant.arch instance of the fan-out (<c>Arch</c> may be <c>src</c> for the source tree).</summary>
public abstract class VariantArchTask : ComposePhaseTask
{
    [Required] public string Variant { get; set; } = "";
    [Required] public string Arch { get; set; } = "";

    protected override (string TopDir, string? Variant, string? Arch)? RecordFor => (ComposeTopDir, Variant, Arch);

    protected (VariantModel Model, Variant Variant) LoadVariant()
    {
        var model = LoadModel();
        var v = model.Find(Variant) ?? throw new PungiException(ErrorCodes.InternalError, $"Variant '{Variant}' vanished from the model.");
        return (model, v);
    }

    /// <summary>The arches whose package lists feed this instance: the arch itself, or all the variant's arches for src.</summary>
    protected IReadOnlyList<string> SourceArches(Variant v) => Arch == "src" ? v.Arches : [Arch];

    protected static IEnumerable<string> ReadList(string path)
        => File.Exists(path) ? File.ReadLines(path).Where(l => l.Length > 0) : [];
}
