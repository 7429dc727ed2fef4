namespace Acme.Server.Hosting;

/// <summary>Route templates of every resource.</summary>
public static class AcmePaths
{
    public const string Directory = "/directory";
    public const string NewNonce = "/new-nonce";
    public const string NewAccount = "/new-account";
    public const string NewOrder = "/new-order";
    public const string RevokeCert = "/revoke-cert";
    public const string KeyChange = "/key-change";
    public const string Account = "/acct/{id}";
    public const string AccountOrders = "/acct/{id}/orders";
    public const string Order = "/order/{id}";
    public const string Finalize = "/order/{id}/finalize";
    public const string Authorization = "/authz/{id}";
    public const string Challenge = "/chall/{id}";
    public const string Certificate = "/cert/{id}";
    public const string RenewalInfo = "/renewal-info";
    public const string RenewalInfoItem = "/renewal-info/{id}";
    public const string Crl = "/crl/issuing.crl";
    public const string CaIssuers = "/ca/issuing.cer";
    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";
    public const string Metrics = "/metrics";

    /// <summary>Resources that are not ACME resources: no nonce, no index link.</summary>
    public static bool IsPublicPkiPath(string? path) =>
        path is not null && (path.StartsWith("/crl/", StringComparison.Ordinal) || path.StartsWith("/ca/", StringComparison.Ordinal));

    /// <summary>Operations resources (health, metrics): outside the ACME protocol entirely, no nonce, no problem documents.</summary>
    public static bool IsOperationsPath(string? path) =>
        path is not null && (path.StartsWith("/health/", StringComparison.Ordinal) || path == Metrics);
}
