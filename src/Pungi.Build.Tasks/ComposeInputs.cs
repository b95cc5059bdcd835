using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Tasks;

/// <summary>
/// Turns the composeproj's release and compose properties into a <see cref="ComposeInfo"/>; an error points at the line
/// of the property that caused it.
/// </summary>
internal static class ComposeInputs
{
    public static ComposeInfo Create(ComposeInputTask p, string projectFile)
    {
        var release = At(projectFile, "ReleaseShort", () =>
        {
            var r = new ReleaseInfo(p.ReleaseName ?? "", p.ReleaseShort ?? "", p.ReleaseVersion ?? "", string.IsNullOrEmpty(p.ReleaseType) ? "ga" : p.ReleaseType!);
            r.Validate("Release", projectFile);
            return r;
        });
        var baseProduct = At(projectFile, "BaseProductName",
            () => ComposeInfo.BaseProductFrom(p.BaseProductName, p.BaseProductShort, p.BaseProductVersion, p.BaseProductType, projectFile));
        var date = string.IsNullOrEmpty(p.ComposeDate) ? ComposeInfo.Today() : p.ComposeDate!;
        var respin = At(projectFile, "ComposeRespin", () => ComposeInfo.ParseRespin(p.ComposeRespin, projectFile));
        At(projectFile, "ComposeType", () =>
        {
            if (!ComposeTypes.IsKnown(p.ComposeType ?? ""))
                throw new PungiException(ErrorCodes.UnknownComposeType,
                    $"ComposeType '{p.ComposeType}' is unknown: use one of production, nightly, test, ci, development.", projectFile);
            return 0;
        });
        At(projectFile, "ComposeDate", () => { ComposeInfo.ValidateDate(date, projectFile); return 0; });
        return At(projectFile, "ComposeLabel", () => ComposeInfo.Create(release, baseProduct, p.ComposeType!, date, respin, p.ComposeLabel, file: projectFile));
    }

    /// <summary>Upstream's fresh respin per run (NewRespin=true): the first respin whose directory does not exist.</summary>
    public static ComposeInfo NextFreeRespin(string targetDir, ComposeInfo compose)
    {
        while (Directory.Exists(Path.Combine(targetDir, compose.Id)))
            compose = compose.WithRespin(compose.Respin + 1);
        return compose;
    }

    private static T At<T>(string projectFile, string property, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (PungiException e) when (e.Line == 0)
        {
            var (file, line, col) = ItemLocation.FindProperty(projectFile, property);
            throw new PungiException(e.Code, e.Message, file, line, col, e);
        }
    }
}
