using System.Reflection;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Tests.Registry;

/// <summary>DESIGN.md §5: one registry, no number used twice, every code in the README's table.</summary>
public sealed class ErrorCodeRegistryTests
{
    private static List<(string Name, string Code)> Codes()
        => typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!)).ToList();

    [Fact]
    public void EveryCodeIsUniqueAndWellFormed()
    {
        var codes = Codes();
        Assert.True(codes.Count > 50);
        Assert.All(codes, c => Assert.Matches(@"^PUNGI[1-7]\d{3}$", c.Code));
        var dupes = codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key + ": " + string.Join(", ", g.Select(x => x.Name))).ToList();
        Assert.True(dupes.Count == 0, "codes used twice: " + string.Join("; ", dupes));
    }

    [Fact]
    public void ReadmeTableListsEveryCode()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var missing = Codes().Where(c => !readme.Contains($"| {c.Code} | {c.Name} |", StringComparison.Ordinal)).Select(c => c.Code).ToList();
        Assert.True(missing.Count == 0, "README.md lacks (run python3 tools/error-table.py): " + string.Join(", ", missing));
    }
}
