import Foundation
import GANData
import GANTensor

/// Writes and reads a run's checkpoints: one safetensors file per network (its PyTorch-style
/// state_dict, loadable into the equivalent PyTorch module), one for all optimizer state, and
/// state.json; the folder appears complete or not at all (see CheckpointRotation).
public enum Checkpointer {
    /// Keys PyTorch stores as int64 (batch norm's counter), written as I64 for `load_state_dict`.
    static func int64Keys(_ entries: [(String, Tensor)]) -> Set<String> {
        Set(entries.map(\.0).filter { $0.hasSuffix("num_batches_tracked") })
    }

    public static func save(variant: any GANVariant, state: CheckpointState, to dir: URL) throws {
        try CheckpointRotation.writeAtomically(dir) { tmp in
            for (name, net) in variant.networks {
                let entries = net.stateDict()
                try SafeTensors.write(entries, metadata: ["network": name, "step": String(state.step)],
                                      int64Keys: int64Keys(entries), to: tmp.appendingPathComponent("\(name).safetensors"))
            }
            var optimizerEntries: [(String, Tensor)] = []
            for (name, opt) in variant.optimizers {
                optimizerEntries += opt.stateTensors().map { ("\(name).\($0.0)", $0.1) }
            }
            optimizerEntries += variant.extraState().map { ("extra.\($0.0)", $0.1) }
            try SafeTensors.write(optimizerEntries, metadata: ["step": String(state.step)], int64Keys: [],
                                  to: tmp.appendingPathComponent("optimizers.safetensors"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(state), to: tmp.appendingPathComponent("state.json"))
        }
    }

    public static func readState(_ dir: URL) throws -> CheckpointState {
        let url = dir.appendingPathComponent("state.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TrainingError.resume("\(url.path) is missing")
        }
        do {
            return try JSONDecoder().decode(CheckpointState.self, from: data)
        } catch {
            throw TrainingError.resume("\(url.path) is not a valid checkpoint state: \(error)")
        }
    }

    /// Loads networks (strictly: every key must match) and, unless `weightsOnly`, optimizer state.
    public static func load(into variant: any GANVariant, from dir: URL, weightsOnly: Bool = false) throws -> CheckpointState {
        let state = try readState(dir)
        for (name, net) in variant.networks {
            let url = dir.appendingPathComponent("\(name).safetensors")
            let values = try SafeTensors.read(from: url).dictionary
            do {
                try net.load(stateDict: values)
            } catch {
                throw TrainingError.resume("\(url.path): \(error)")
            }
        }
        if weightsOnly { return state }
        let url = dir.appendingPathComponent("optimizers.safetensors")
        let all = try SafeTensors.read(from: url).dictionary
        for (name, opt) in variant.optimizers {
            let prefix = name + "."
            var own: [String: Tensor] = [:]
            for (k, v) in all where k.hasPrefix(prefix) { own[String(k.dropFirst(prefix.count))] = v }
            guard let steps = state.optimizerSteps[name] else {
                throw TrainingError.resume("\(dir.path)/state.json has no step count for optimizer \(name)")
            }
            try opt.loadState(own, step: steps)
        }
        var extra: [String: Tensor] = [:]
        for (k, v) in all where k.hasPrefix("extra.") { extra[String(k.dropFirst(6))] = v }
        try variant.loadExtraState(extra)
        return state
    }
}
