using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// A task that needs the release, compose and variant inputs of the composeproj: <see cref="ValidateCompose"/> checks
/// them, <see cref="StartCompose"/> records them in the compose directory.
/// </summary>
public abstract class ComposeInputTask : PungiTask
{
    [Required] public string ProjectFile { get; set; } = "";
    public string? ReleaseName { get; set; }
    public string? ReleaseShort { get; set; }
    public string? ReleaseVersion { get; set; }
    public string? ReleaseType { get; set; }
    public string? ReleaseIsLayered { get; set; }
    public string? BaseProductName { get; set; }
    public string? BaseProductShort { get; set; }
    public string? BaseProductVersion { get; set; }
    public string? BaseProductType { get; set; }
    public string? ComposeType { get; set; }
    public string? ComposeDate { get; set; }
    public string? ComposeRespin { get; set; }
    public string? ComposeLabel { get; set; }
    public string? ComposeTargetDir { get; set; }
    public string? ComposeDir { get; set; }
    public string? NewRespin { get; set; }
    public ITaskItem[] VariantsFiles { get; set; } = [];
    public ITaskItem[] Variants { get; set; } = [];
    /// <summary><c>variant_as_lookaside</c> (checked by Validate).</summary>
    public ITaskItem[] VariantAsLookaside { get; set; } = [];
    public string? TreeArches { get; set; }
    public string? TreeVariants { get; set; }


    protected ComposeInfo LoadCompose() => ComposeInputs.Create(this, ProjectFile);

    protected VariantModel LoadVariants() => VariantInputs.Load(VariantsFiles, Variants, TreeArches, TreeVariants, ProjectFile);
}
