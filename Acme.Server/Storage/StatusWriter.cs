using System.Data.Common;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// The only code that writes a status column, called only by the stores' named transitions. Each change
/// is a compare-and-set on an edge of <see cref="Transitions"/>:
/// <c>UPDATE … SET status = @to[, column = @column…] WHERE id = @id AND status = @from</c>.
/// Zero rows changed means another request won the race, and the caller refuses. A change made is noted
/// on the transaction in <see cref="StatusChangeLog"/>, whose observers (metrics) hear of it on commit.
/// </summary>
internal static class StatusWriter
{
    /// <summary>A column written together with the status; its parameter is named after the column.</summary>
    internal readonly record struct Column(string Name, object? Value);

    public static Task<bool> AccountAsync(StatusChangeLog changes, DbConnection c, DbTransaction tx, string id, AccountStatus from, AccountStatus to, params Column[] columns) =>
        ApplyAsync(changes, c, tx, "accounts", "account", Transitions.Account, id, from, to, columns);

    public static Task<bool> OrderAsync(StatusChangeLog changes, DbConnection c, DbTransaction tx, string id, OrderStatus from, OrderStatus to, params Column[] columns) =>
        ApplyAsync(changes, c, tx, "orders", "order", Transitions.Order, id, from, to, columns);

    public static Task<bool> AuthorizationAsync(StatusChangeLog changes, DbConnection c, DbTransaction tx, string id, AuthorizationStatus from, AuthorizationStatus to, params Column[] columns) =>
        ApplyAsync(changes, c, tx, "authorizations", "authorization", Transitions.Authorization, id, from, to, columns);

    public static Task<bool> ChallengeAsync(StatusChangeLog changes, DbConnection c, DbTransaction tx, string id, ChallengeStatus from, ChallengeStatus to, params Column[] columns) =>
        ApplyAsync(changes, c, tx, "challenges", "challenge", Transitions.Challenge, id, from, to, columns);

    public static Task<bool> CertificateAsync(StatusChangeLog changes, DbConnection c, DbTransaction tx, string id, CertificateStatus from, CertificateStatus to, params Column[] columns) =>
        ApplyAsync(changes, c, tx, "certificates", "certificate", Transitions.Certificate, id, from, to, columns);

    private static async Task<bool> ApplyAsync<TStatus>(
        StatusChangeLog changes, DbConnection c, DbTransaction tx, string table, string resource, TransitionTable<TStatus> rules, string id, TStatus from, TStatus to, Column[] columns)
        where TStatus : struct, Enum
    {
        rules.Ensure(from, to);
        var parameters = new DynamicParameters();
        parameters.Add("id", id);
        parameters.Add("from", StatusText.Of(from));
        parameters.Add("to", StatusText.Of(to));
        var set = new System.Text.StringBuilder("status = @to");
        foreach (var column in columns)
        {
            set.Append(", ").Append(column.Name).Append(" = @").Append(column.Name);
            parameters.Add(column.Name, column.Value);
        }

        var rows = await c.ExecuteAsync($"UPDATE {table} SET {set} WHERE id = @id AND status = @from", parameters, tx);
        if (rows != 1)
        {
            return false;
        }

        changes.Note(tx, new StatusChange(resource, StatusText.Of(from), StatusText.Of(to)));
        return true;
    }
}
