using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>
/// A fault answered by the Koji hub. <see cref="FaultCode"/> is the hub's code; <see cref="Create"/> maps the codes of
/// <c>koji/__init__.py</c> to the matching subclass (as koji's <c>convertFault</c> does), so callers catch
/// <see cref="KojiAuthError"/>, <see cref="KojiServerOffline"/>, … A code koji does not define (e.g. 1 for a non-koji
/// exception on the hub) stays a plain <see cref="KojiFaultException"/>.
/// </summary>
public class KojiFaultException : PungiException
{
    public KojiFaultException(int faultCode, string faultString, string? method = null)
        : base(ErrorCodes.KojiFault, $"Koji hub fault {faultCode}{(method is null ? "" : $" in {method}")}: {faultString}")
    {
        FaultCode = faultCode;
        FaultString = faultString;
        Method = method;
    }

    public int FaultCode { get; }
    public string FaultString { get; }
    public string? Method { get; }

    /// <summary>Koji's fault codes (koji/__init__.py).</summary>
    public static class Codes
    {
        public const int Generic = 1000, Lock = 1001, Auth = 1002, Tag = 1003, ActionNotAllowed = 1004, Build = 1005,
            AuthLock = 1006, AuthExpired = 1007, Sequence = 1008, Retry = 1009, PreBuild = 1010, PostBuild = 1011,
            Buildroot = 1012, FunctionDeprecated = 1013, ServerOffline = 1014, LiveCD = 1015, Plugin = 1016,
            Callback = 1017, Appliance = 1018, Parameter = 1019, Import = 1020, Configuration = 1021, LiveMedia = 1022,
            GssapiAuth = 1023, NameValidation = 1024;
    }

    public static KojiFaultException Create(int code, string message, string? method = null) => code switch
    {
        Codes.Generic => new KojiGenericError(code, message, method),
        Codes.Lock => new KojiLockError(code, message, method),
        Codes.Auth => new KojiAuthError(code, message, method),
        Codes.Tag => new KojiTagError(code, message, method),
        Codes.ActionNotAllowed => new KojiActionNotAllowed(code, message, method),
        Codes.Build => new KojiBuildError(code, message, method),
        Codes.AuthLock => new KojiAuthLockError(code, message, method),
        Codes.AuthExpired => new KojiAuthExpired(code, message, method),
        Codes.Sequence => new KojiSequenceError(code, message, method),
        Codes.Retry => new KojiRetryError(code, message, method),
        Codes.PreBuild or Codes.PostBuild or Codes.Buildroot => new KojiBuildError(code, message, method),
        Codes.FunctionDeprecated => new KojiFunctionDeprecated(code, message, method),
        Codes.ServerOffline => new KojiServerOffline(code, message, method),
        Codes.LiveCD or Codes.Appliance or Codes.LiveMedia => new KojiImageError(code, message, method),
        Codes.Plugin or Codes.Callback => new KojiPluginError(code, message, method),
        Codes.Parameter => new KojiParameterError(code, message, method),
        Codes.Import => new KojiImportError(code, message, method),
        Codes.Configuration => new KojiConfigurationError(code, message, method),
        Codes.GssapiAuth => new KojiGssapiAuthError(code, message, method),
        Codes.NameValidation => new KojiNameValidationError(code, message, method),
        _ => new KojiFaultException(code, message, method),
    };
}

/// <summary>koji.GenericError (1000) and the base of every koji-defined fault.</summary>
public class KojiGenericError(int code, string message, string? method) : KojiFaultException(code, message, method);
public class KojiLockError(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>koji.AuthError (1002): bad session or credentials.</summary>
public class KojiAuthError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiTagError(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>koji.ActionNotAllowed (1004): e.g. a login-only method called anonymously.</summary>
public class KojiActionNotAllowed(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>koji.BuildError (1005) and its PreBuild/PostBuild/Buildroot subclasses (1010-1012).</summary>
public class KojiBuildError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiAuthLockError(int code, string message, string? method) : KojiAuthError(code, message, method);
public class KojiAuthExpired(int code, string message, string? method) : KojiAuthError(code, message, method);
/// <summary>koji.SequenceError (1008): a Koji-Session-Callnum lower than one already used.</summary>
public class KojiSequenceError(int code, string message, string? method) : KojiAuthError(code, message, method);
/// <summary>koji.RetryError (1009): the hub already ran this call number and cannot run it again.</summary>
public class KojiRetryError(int code, string message, string? method) : KojiAuthError(code, message, method);
public class KojiFunctionDeprecated(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>koji.ServerOffline (1014): the hub is in maintenance; retried when offline_retry is on.</summary>
public class KojiServerOffline(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>LiveCDError (1015), ApplianceError (1018), LiveMediaError (1022).</summary>
public class KojiImageError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiPluginError(int code, string message, string? method) : KojiGenericError(code, message, method);
/// <summary>koji.ParameterError (1019): wrong arguments (the message is the hub-side Python TypeError).</summary>
public class KojiParameterError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiImportError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiConfigurationError(int code, string message, string? method) : KojiGenericError(code, message, method);
public class KojiGssapiAuthError(int code, string message, string? method) : KojiAuthError(code, message, method);
public class KojiNameValidationError(int code, string message, string? method) : KojiGenericError(code, message, method);
