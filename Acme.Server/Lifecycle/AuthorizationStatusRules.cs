using Acme.Server.Protocol;

namespace Acme.Server.Lifecycle;

/// <summary>The effective status of an authorization at a given time (RFC 8555 §7.1.6).</summary>
public static class AuthorizationStatusRules
{
    /// <summary>A pending or valid authorization past its <c>expires</c> is <c>expired</c>.</summary>
    public static AuthorizationStatus Effective(AuthorizationStatus stored, DateTimeOffset expires, DateTimeOffset now) =>
        stored is AuthorizationStatus.Pending or AuthorizationStatus.Valid && now >= expires
            ? AuthorizationStatus.Expired
            : stored;
}
