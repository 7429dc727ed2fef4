namespace Acme.Server.Protocol.Problems;

/// <summary>
/// The single exception used for an early exit from the request pipeline with a problem
/// document. Expected failures elsewhere are returned as values, never thrown.
/// </summary>
public sealed class AcmeProblemException(AcmeProblem problem) : Exception(problem.Detail)
{
    public AcmeProblem Problem { get; } = problem;
}
