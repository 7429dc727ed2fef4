namespace Acme.Server.Protocol;

// RFC 8555 §7.1.6: the status values, serialized as the RFC's lower-case strings.

public enum AccountStatus { Valid, Deactivated, Revoked }

public enum OrderStatus { Pending, Ready, Processing, Valid, Invalid }

public enum AuthorizationStatus { Pending, Valid, Invalid, Deactivated, Expired, Revoked }

public enum ChallengeStatus { Pending, Processing, Valid, Invalid }

public enum CertificateStatus { Valid, Revoked }

/// <summary>The RFC strings for statuses, in both directions, for the wire and the database.</summary>
public static class StatusText
{
    public static string Of<TStatus>(TStatus status) where TStatus : struct, Enum =>
        status.ToString().ToLowerInvariant();

    public static TStatus Parse<TStatus>(string text) where TStatus : struct, Enum =>
        Enum.TryParse<TStatus>(text, ignoreCase: true, out var value) && text == Of(value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a {typeof(TStatus).Name}");
}
