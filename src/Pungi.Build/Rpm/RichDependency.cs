using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>Operators of rpm's rich (boolean) dependencies (rpm 4.13+, <c>rpmrichParse</c>).</summary>
public enum RichOperator
{
    And,
    Or,
    If,
    Unless,
    With,
    Without,
}

/// <summary>
/// A parsed rich dependency: <c>(A and B)</c>, <c>or</c>, <c>if [else]</c>, <c>unless [else]</c>, <c>with</c>,
/// <c>without</c>, nested to any depth, leaves being simple dependencies with optional version ranges.
/// </summary>
public abstract record RichDependency
{
    /// <summary>A leaf: <c>name [op evr]</c>.</summary>
    public sealed record Simple(Dependency Dependency) : RichDependency
    {
        public override string ToString() => Dependency.ToString();
    }

    /// <summary><c>and</c>, <c>or</c>, <c>with</c> (two or more operands) or <c>without</c> (exactly two).</summary>
    public sealed record Combine(RichOperator Operator, IReadOnlyList<RichDependency> Operands) : RichDependency
    {
        public override string ToString()
            => "(" + string.Join($" {Operator.ToString().ToLowerInvariant()} ", Operands) + ")";
    }

    /// <summary><c>(Then if Condition [else Else])</c> or <c>(Then unless Condition [else Else])</c>.</summary>
    public sealed record Conditional(RichOperator Operator, RichDependency Then, RichDependency Condition, RichDependency? Else) : RichDependency
    {
        public override string ToString()
            => $"({Then} {Operator.ToString().ToLowerInvariant()} {Condition}{(Else is null ? "" : $" else {Else}")})";
    }

    /// <summary>
    /// Whether the expression holds when <paramref name="isSatisfied"/> says which simple dependencies hold, with the
    /// meaning rpm gives it for Requires: <c>A if B</c> needs A only when B holds (else the else-branch); <c>A unless
    /// B</c> needs A only when B does not. <c>with</c>/<c>without</c> ask that one package provide both / A but not B:
    /// when the predicate speaks for one package (as in <see cref="DependencyMatching.Provides"/>) that is exact;
    /// over a package set, walk the tree and check <c>with</c> per package.
    /// </summary>
    public bool IsSatisfied(Func<Dependency, bool> isSatisfied) => this switch
    {
        Simple s => isSatisfied(s.Dependency),
        Combine { Operator: RichOperator.And or RichOperator.With } c => c.Operands.All(o => o.IsSatisfied(isSatisfied)),
        Combine { Operator: RichOperator.Or } c => c.Operands.Any(o => o.IsSatisfied(isSatisfied)),
        Combine { Operator: RichOperator.Without } c => c.Operands[0].IsSatisfied(isSatisfied) && !c.Operands[1].IsSatisfied(isSatisfied),
        Conditional { Operator: RichOperator.If } k => k.Condition.IsSatisfied(isSatisfied)
            ? k.Then.IsSatisfied(isSatisfied)
            : k.Else?.IsSatisfied(isSatisfied) ?? true,
        Conditional { Operator: RichOperator.Unless } k => !k.Condition.IsSatisfied(isSatisfied)
            ? k.Then.IsSatisfied(isSatisfied)
            : k.Else?.IsSatisfied(isSatisfied) ?? true,
        _ => throw new InvalidOperationException("unknown rich dependency node"),
    };

    /// <summary>Every simple dependency in the tree, left to right.</summary>
    public IEnumerable<Dependency> SimpleDependencies() => this switch
    {
        Simple s => [s.Dependency],
        Combine c => c.Operands.SelectMany(o => o.SimpleDependencies()),
        Conditional k => k.Then.SimpleDependencies().Concat(k.Condition.SimpleDependencies()).Concat(k.Else?.SimpleDependencies() ?? []),
        _ => [],
    };

    /// <summary>Parses a rich dependency (must start with <c>(</c>); throws PUNGI2011 on a syntax error.</summary>
    public static RichDependency Parse(string text)
    {
        var p = new Parser(text);
        p.SkipSpace();
        if (p.AtEnd || p.Peek != '(') throw p.Error("a rich dependency starts with '('");
        var result = p.ParseGroup();
        p.SkipSpace();
        if (!p.AtEnd) throw p.Error("unexpected text after the closing ')'");
        return result;
    }

    public static bool TryParse(string text, out RichDependency? result)
    {
        try
        {
            result = Parse(text);
            return true;
        }
        catch (PungiException)
        {
            result = null;
            return false;
        }
    }

    private sealed class Parser(string text)
    {
        private const int MaxDepth = 256; // rpm's nesting is unbounded; ours is bounded so input can't exhaust the stack
        private int _pos;
        private int _depth;

        public bool AtEnd => _pos >= text.Length;
        public char Peek => text[_pos];

        public PungiException Error(string what)
            => new(ErrorCodes.RichDependencySyntax, $"invalid rich dependency '{text}' at position {_pos + 1}: {what}");

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        /// <summary>Parses <c>( operand op operand … )</c> with the cursor on '('.</summary>
        public RichDependency ParseGroup()
        {
            if (++_depth > MaxDepth) throw Error("nested too deeply");
            _pos++; // '('
            var first = ParseOperand();
            SkipSpace();
            if (!AtEnd && Peek == ')')
            {
                // rpm accepts a parenthesised single dependency: "(foo)".
                _pos++;
                _depth--;
                return first;
            }
            var op = ParseOperator() ?? throw Error("expected and, or, if, unless, with, without or ')'");
            var second = ParseOperand();
            RichDependency result;
            if (op is RichOperator.If or RichOperator.Unless)
            {
                SkipSpace();
                RichDependency? elseBranch = null;
                int save = _pos;
                if (ReadWord() == "else") elseBranch = ParseOperand();
                else _pos = save;
                result = new Conditional(op, first, second, elseBranch);
            }
            else
            {
                var operands = new List<RichDependency> { first, second };
                while (true)
                {
                    SkipSpace();
                    int save = _pos;
                    if (AtEnd || Peek == ')') break;
                    var next = ParseOperator();
                    if (next is null) { _pos = save; throw Error("expected an operator or ')'"); }
                    // rpm: only and, or and with chain; mixing operators needs parentheses.
                    if (next != op || op == RichOperator.Without) { _pos = save; throw Error($"cannot chain '{next.ToString()!.ToLowerInvariant()}' after '{op.ToString().ToLowerInvariant()}' without parentheses"); }
                    operands.Add(ParseOperand());
                }
                result = new Combine(op, operands);
            }
            SkipSpace();
            if (AtEnd || Peek != ')') throw Error("expected ')'");
            _pos++;
            _depth--;
            return result;
        }

        private RichOperator? ParseOperator()
        {
            SkipSpace();
            return ReadWord() switch
            {
                "and" => RichOperator.And,
                "or" => RichOperator.Or,
                "if" => RichOperator.If,
                "unless" => RichOperator.Unless,
                "with" => RichOperator.With,
                "without" => RichOperator.Without,
                _ => null,
            };
        }

        private string ReadWord()
        {
            int start = _pos;
            while (_pos < text.Length && char.IsAsciiLetterLower(text[_pos])) _pos++;
            return text[start.._pos];
        }

        private RichDependency ParseOperand()
        {
            SkipSpace();
            if (AtEnd) throw Error("expected a dependency");
            if (Peek == '(') return ParseGroup();
            // A simple dependency: a name (parentheses inside it balance, as in perl(Foo)), then an optional range.
            int start = _pos, paren = 0;
            while (_pos < text.Length)
            {
                char c = text[_pos];
                if (char.IsWhiteSpace(c) && paren == 0) break;
                if (c == '(') paren++;
                else if (c == ')') { if (paren == 0) break; paren--; }
                _pos++;
            }
            string name = text[start.._pos];
            if (name.Length == 0) throw Error("expected a dependency name");
            if (paren != 0) throw Error("unbalanced parentheses in a dependency name");
            if (name is "and" or "or" or "if" or "unless" or "with" or "without" or "else")
            {
                _pos = start;
                throw Error($"expected a dependency, found the operator '{name}'");
            }
            int save = _pos;
            SkipSpace();
            var flags = DependencyFlags.None;
            var sb = new StringBuilder();
            while (!AtEnd && Peek is '<' or '>' or '=') sb.Append(text[_pos++]);
            if (sb.Length == 0)
            {
                _pos = save;
                return new Simple(new Dependency(name));
            }
            flags = sb.ToString() switch
            {
                "<" => DependencyFlags.Less,
                ">" => DependencyFlags.Greater,
                "=" or "==" => DependencyFlags.Equal,
                "<=" or "=<" => DependencyFlags.Less | DependencyFlags.Equal,
                ">=" or "=>" => DependencyFlags.Greater | DependencyFlags.Equal,
                _ => throw Error($"unknown comparison '{sb}'"),
            };
            SkipSpace();
            int vs = _pos;
            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] != ')' && text[_pos] != '(') _pos++;
            if (vs == _pos) throw Error("expected a version after the comparison");
            return new Simple(new Dependency(name, flags, text[vs.._pos]));
        }
    }
}
