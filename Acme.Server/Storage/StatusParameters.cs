using Acme.Server.Protocol;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// Parameters for writing a row: the row's properties, with its typed status written as the stored text
/// (Dapper would send an enum as its number, and ignores type handlers for enum parameters).
/// </summary>
internal static class StatusParameters
{
    public static DynamicParameters Of<TStatus>(object row, TStatus status) where TStatus : struct, Enum
    {
        var parameters = new DynamicParameters(row);
        parameters.Add("Status", StatusText.Of(status));
        return parameters;
    }
}
