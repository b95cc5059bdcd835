using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace Pungi.Build.Tests;

// StructuredLogger needs Microsoft.Build.Framework at run time; the Locator supplies the SDK's copy.
internal static class MSBuildInit
{
    [ModuleInitializer]
    internal static void Init()
    {
        if (!MSBuildLocator.IsRegistered) MSBuildLocator.RegisterDefaults();
    }
}
