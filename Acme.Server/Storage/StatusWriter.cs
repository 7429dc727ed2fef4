using System.Data.Common;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// The only code that writes a status column. Each change is a compare-and-set on an edge of
/// <see cref="Transitions"/>: <c>UPDATE … SET status = @to WHERE id = @id AND status = @from</c>.
/// Zero rows changed means another request won the race, and the caller refuses.
/// </summary>
public static class StatusWriter
{
    public static Task<bool> AccountAsync(DbConnection c, DbTransaction tx, string id, AccountStatus from, AccountStatus to) =>
        ApplyAsync(c, tx, "accounts", Transitions.Account, id, from, to, null, null);

    public static Task<bool> OrderAsync(DbConnection c, DbTransaction tx, string id, OrderStatus from, OrderStatus to, string? extraSet = null, object? extra = null) =>
        ApplyAsync(c, tx, "orders", Transitions.Order, id, from, to, extraSet, extra);

    public static Task<bool> AuthorizationAsync(DbConnection c, DbTransaction tx, string id, AuthorizationStatus from, AuthorizationStatus to, string? extraSet = null, object? extra = null) =>
        ApplyAsync(c, tx, "authorizations", Transitions.Authorization, id, from, to, extraSet, extra);

    public static Task<bool> ChallengeAsync(DbConnection c, DbTransaction tx, string id, ChallengeStatus from, ChallengeStatus to, string? extraSet = null, object? extra = null) =>
        ApplyAsync(c, tx, "challenges", Transitions.Challenge, id, from, to, extraSet, extra);

    public static Task<bool> CertificateAsync(DbConnection c, DbTransaction tx, string id, CertificateStatus from, CertificateStatus to, string? extraSet = null, object? extra = null) =>
        ApplyAsync(c, tx, "certificates", Transitions.Certificate, id, from, to, extraSet, extra);

    private static async Task<bool> ApplyAsync<TStatus>(
        DbConnection c, DbTransaction tx, string table, TransitionTable<TStatus> rules, string id,
        TStatus from, TStatus to, string? extraSet, object? extra)
        where TStatus : struct, Enum
    {
        rules.Ensure(from, to);
        var parameters = new DynamicParameters(extra);
        parameters.Add("id", id);
        parameters.Add("from", StatusText.Of(from));
        parameters.Add("to", StatusText.Of(to));
        var set = extraSet is null ? string.Empty : ", " + extraSet;
        var rows = await c.ExecuteAsync($"UPDATE {table} SET status = @to{set} WHERE id = @id AND status = @from", parameters, tx);
        return rows == 1;
    }
}
