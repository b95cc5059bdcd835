using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// A parsed rpm boolean dependency (<c>(a and b)</c>, <c>or</c>, <c>if … else</c>, <c>unless … else</c>, <c>with</c>,
/// <c>without</c>), reduced to what the depsolver needs: the set of providers libsolv's <c>pool_whatprovides</c>
/// returns for it. libsolv treats <c>and</c>, <c>or</c>, <c>if</c>, <c>unless</c> as the union of the providers of
/// their branches (the condition itself is assumed true and contributes nothing), <c>with</c> as the intersection
/// and <c>without</c> as the difference; <c>hawkey</c>'s <c>filter(provides=…)</c> and so Pungi's gather see that set.
/// </summary>
internal abstract record RichExpression
{
    internal sealed record Leaf(Dependency Dependency) : RichExpression;

    internal sealed record Op(string Operator, RichExpression Left, RichExpression Right) : RichExpression;

    /// <summary>Parses <paramref name="text"/>; null when it is not a well-formed boolean dependency.</summary>
    public static RichExpression? TryParse(string text)
    {
        int pos = 0;
        try
        {
            var e = ParseGroup(text, ref pos);
            SkipSpace(text, ref pos);
            return pos == text.Length ? e : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly string[] Operators = ["and", "or", "if", "else", "unless", "with", "without"];

    private static RichExpression ParseGroup(string s, ref int pos)
    {
        SkipSpace(s, ref pos);
        if (pos >= s.Length || s[pos] != '(') throw new FormatException();
        pos++;
        var left = ParseTerm(s, ref pos);
        while (true)
        {
            SkipSpace(s, ref pos);
            if (pos >= s.Length) throw new FormatException();
            if (s[pos] == ')') { pos++; return left; }
            var op = ReadWord(s, ref pos);
            if (!Operators.Contains(op)) throw new FormatException();
            if (op is "if" or "unless")
            {
                // A if B [else C]: the else branch binds to this condition.
                var cond = ParseTerm(s, ref pos);
                SkipSpace(s, ref pos);
                int save = pos;
                if (pos < s.Length && s[pos] != ')' && ReadWord(s, ref pos) == "else")
                    cond = new Op("else", cond, ParseTerm(s, ref pos));
                else
                    pos = save;
                left = new Op(op, left, cond);
            }
            else
            {
                left = new Op(op, left, ParseTerm(s, ref pos));
            }
        }
    }

    private static RichExpression ParseTerm(string s, ref int pos)
    {
        SkipSpace(s, ref pos);
        if (pos < s.Length && s[pos] == '(') return ParseGroup(s, ref pos);
        string name = ReadName(s, ref pos);
        if (name.Length == 0) throw new FormatException();
        int save = pos;
        SkipSpace(s, ref pos);
        int opStart = pos;
        while (pos < s.Length && s[pos] is '<' or '>' or '=') pos++;
        if (pos == opStart) { pos = save; return new Leaf(new Dependency(name)); }
        var flags = DependencyFlags.None;
        foreach (char c in s.AsSpan(opStart, pos - opStart))
            flags |= c switch { '<' => DependencyFlags.Less, '>' => DependencyFlags.Greater, _ => DependencyFlags.Equal };
        SkipSpace(s, ref pos);
        string version = ReadName(s, ref pos);
        if (version.Length == 0) throw new FormatException();
        return new Leaf(new Dependency(name, flags, version));
    }

    // A dependency name ends at white space or at a ')' that closes nothing inside the name (perl(Foo) stays whole).
    private static string ReadName(string s, ref int pos)
    {
        int start = pos, depth = 0;
        while (pos < s.Length && !char.IsWhiteSpace(s[pos]))
        {
            if (s[pos] == '(') depth++;
            else if (s[pos] == ')') { if (depth == 0) break; depth--; }
            pos++;
        }
        return s[start..pos];
    }

    private static string ReadWord(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && char.IsLetter(s[pos])) pos++;
        return s[start..pos];
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }

    /// <summary>The providers of this expression, given the providers of a simple dependency.</summary>
    public HashSet<T> Providers<T>(Func<Dependency, IEnumerable<T>> simple)
    {
        switch (this)
        {
            case Leaf l:
                return [.. simple(l.Dependency)];
            case Op { Operator: "with" } o:
            {
                var set = o.Left.Providers(simple);
                set.IntersectWith(o.Right.Providers(simple));
                return set;
            }
            case Op { Operator: "without" } o:
            {
                var set = o.Left.Providers(simple);
                set.ExceptWith(o.Right.Providers(simple));
                return set;
            }
            case Op { Operator: "if" or "unless" } o:
            {
                // The condition is assumed true: only the then-branch and an else-branch provide.
                var set = o.Left.Providers(simple);
                if (o.Right is Op { Operator: "else" } e) set.UnionWith(e.Right.Providers(simple));
                return set;
            }
            case Op o:
            {
                var set = o.Left.Providers(simple);
                set.UnionWith(o.Right.Providers(simple));
                return set;
            }
            default:
                return [];
        }
    }
}
