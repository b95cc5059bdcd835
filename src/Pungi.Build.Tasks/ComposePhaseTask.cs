using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// A phase task inside an existing compose directory: the compose's top directory, the project (for error positions)
/// and the variant inputs every phase re-reads into the one model (parsing variants.xml is cheap).
/// </summary>
public abstract class ComposePhaseTask : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    [Required] public string ProjectFile { get; set; } = "";
    public ITaskItem[] VariantsFiles { get; set; } = [];
    public ITaskItem[] Variants { get; set; } = [];
    public string? TreeArches { get; set; }
    public string? TreeVariants { get; set; }
    /// <summary><c>variant_as_lookaside</c>: VariantAsLookaside items (Include = the variant, Lookaside = the variant it looks aside to).</summary>
    public ITaskItem[] VariantAsLookaside { get; set; } = [];

    protected ComposeLayout Layout => new(ComposeTopDir);

    protected VariantModel LoadModel() => VariantInputs.Load(VariantsFiles, Variants, TreeArches, TreeVariants, ProjectFile);

    /// <summary>The (variant, lookaside variant) UID pairs, in project order.</summary>
    protected IReadOnlyList<(string Variant, string Lookaside)> LookasidePairs() => VariantInputs.LookasidePairs(VariantAsLookaside);

    protected override (string TopDir, string? Variant, string? Arch)? RecordFor => (ComposeTopDir, null, null);
}
