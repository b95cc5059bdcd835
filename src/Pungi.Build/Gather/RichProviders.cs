using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// The providers of a rich (boolean) dependency as libsolv's <c>pool_whatprovides</c> computes them, which is what
/// hawkey's <c>filter(provides=…)</c> and so Pungi's gather see: <c>and</c>, <c>or</c>, <c>if</c>, <c>unless</c> are
/// the union of their branches' providers (the condition is assumed true and contributes nothing, an else-branch
/// does), <c>with</c> is the intersection and <c>without</c> the difference. Parsing is <see cref="RichDependency"/>.
/// </summary>
internal static class RichProviders
{
    public static HashSet<T> Of<T>(RichDependency dep, Func<Dependency, IEnumerable<T>> simple)
    {
        switch (dep)
        {
            case RichDependency.Simple s:
                return [.. simple(s.Dependency)];
            case RichDependency.Combine { Operator: RichOperator.With } c:
            {
                var set = Of(c.Operands[0], simple);
                foreach (var o in c.Operands.Skip(1)) set.IntersectWith(Of(o, simple));
                return set;
            }
            case RichDependency.Combine { Operator: RichOperator.Without } c:
            {
                var set = Of(c.Operands[0], simple);
                foreach (var o in c.Operands.Skip(1)) set.ExceptWith(Of(o, simple));
                return set;
            }
            case RichDependency.Combine c:
            {
                var set = new HashSet<T>();
                foreach (var o in c.Operands) set.UnionWith(Of(o, simple));
                return set;
            }
            case RichDependency.Conditional k:
            {
                var set = Of(k.Then, simple);
                if (k.Else is not null) set.UnionWith(Of(k.Else, simple));
                return set;
            }
            default:
                return [];
        }
    }
}
