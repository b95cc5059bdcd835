using System.Text;
using Pungi.Build.Diagnostics;
using Pungi.Build.PungiConfig;

namespace Pungi.Build.Tests.Import;

/// <summary>Hostile configs end in a coded error, never a stack overflow, an unbounded allocation or a stack trace.</summary>
public sealed class HostileInputTests
{
    private static PungiException Fails(string text)
        => Assert.Throws<PungiException>(() => PungiConfigReader.ReadText(text, Path.Combine(Path.GetTempPath(), "hostile.conf")));

    [Fact]
    public void DeepNesting_IsBounded()
    {
        Assert.Equal(ErrorCodes.ConfigTooDeep, Fails("x = " + new string('[', 200_000)).Code);
        Assert.Equal(ErrorCodes.ConfigTooDeep, Fails("x = " + string.Concat(Enumerable.Repeat("{'a': ", 10_000))).Code);
        // a depth within the bound reads fine
        var ok = PungiConfigReader.ReadText("x = " + new string('[', 50) + new string(']', 50));
        Assert.NotNull(ok["x"]);
    }

    [Fact]
    public void DeepJsonNesting_IsBounded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hostile-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"x\": " + new string('[', 100_000));
        try
        {
            Assert.Equal(ErrorCodes.ConfigJsonInvalid, Assert.Throws<PungiException>(() => PungiConfigReader.ReadFile(path)).Code);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void HugeStrings_NumbersAndFormatting_AreBounded()
    {
        Assert.Equal(ErrorCodes.ConfigTooLarge, Fails("x = '" + new string('a', ConfigLimits.MaxStringLength + 10) + "'").Code);
        Assert.Equal(ErrorCodes.ConfigTooLarge, Fails("x = " + new string('9', 10_000)).Code);
        var half = new string('b', ConfigLimits.MaxStringLength / 2);
        Assert.Equal(ErrorCodes.ConfigTooLarge, Fails($"a = '{half}'\nb = '%s%s%s' % (a, a, a)\n").Code);
        Assert.Equal(ErrorCodes.ConfigTooLarge, Fails($"b = '{half}' '{half}' '{half}'\n").Code);
        Assert.Equal(ErrorCodes.ConfigUnreadable, Fails(new string(' ', ConfigLimits.MaxFileBytes + 1)).Code);
    }

    [Fact]
    public void ExponentialReferences_AreBounded()
    {
        // each line doubles the value through references: 2^40 nodes if expanded
        var sb = new StringBuilder("a0 = [1]\n");
        for (int i = 1; i <= 40; i++) sb.Append($"a{i} = [a{i - 1}, a{i - 1}]\n");
        Assert.Equal(ErrorCodes.ConfigTooLarge, Fails(sb.ToString()).Code);
    }

    [Fact]
    public void MutatedUpstreamConfig_OnlyEverFailsWithACode()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Shared, "reference", "pungi", "dummy-local.conf"));
        var rng = new Random(12);
        const string alphabet = "[]{}()'\",:=\\#%-.\n x0_*";
        for (int n = 0; n < 400; n++)
        {
            var chars = text.ToCharArray();
            for (int k = 0; k < 3; k++) chars[rng.Next(chars.Length)] = alphabet[rng.Next(alphabet.Length)];
            try
            {
                var cfg = PungiConfigReader.ReadText(new string(chars), Path.Combine(Path.GetTempPath(), "mutated.conf"));
                ComposeprojImporter.Import(cfg, new ImportOptions(Path.Combine(Path.GetTempPath(), "mutated.composeproj")));
            }
            catch (PungiException e)
            {
                Assert.StartsWith("PUNGI12", e.Code);
                Assert.True(e.Line > 0, $"{e.Code} without a line: {e.Message}");
            }
        }
    }
}
