//! The SevenNet calculator: a deployed TorchScript model run through libtorch (`tch`).

use crate::error::{Result, TorchError};
use crate::graph::Graph;
use crate::model::ModelInfo;
use amorph_core::{Calculation, Calculator, Request, Structure};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tch::{CModule, IValue, Kind, Tensor};

/// Where the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Device {
    /// The CPU (libtorch's own threads; their number follows amorph's thread count).
    #[default]
    Cpu,
    /// A CUDA GPU by index (needs a build with the `cuda` feature and a libtorch with CUDA).
    Cuda(usize),
}

impl FromStr for Device {
    type Err = TorchError;
    /// `cpu`, `cuda` (GPU 0) or `cuda:N`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || TorchError::Device {
            device: s.to_string(),
            reason: "expected cpu, cuda or cuda:N".into(),
        };
        match s.to_ascii_lowercase().as_str() {
            "cpu" => Ok(Device::Cpu),
            "cuda" | "gpu" => Ok(Device::Cuda(0)),
            other => other
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(Device::Cuda)
                .ok_or_else(bad),
        }
    }
}

impl std::fmt::Display for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Device::Cpu => f.write_str("cpu"),
            Device::Cuda(i) => write!(f, "cuda:{i}"),
        }
    }
}

impl Device {
    /// This device as libtorch's, after checking that it can be used.
    fn to_tch(self) -> Result<tch::Device> {
        match self {
            Device::Cpu => Ok(tch::Device::Cpu),
            Device::Cuda(i) => {
                let count = tch::Cuda::device_count();
                if count <= 0 {
                    let reason = if cfg!(feature = "cuda") {
                        "libtorch finds no CUDA GPU (driver, CUDA libraries, or a CPU-only libtorch)"
                    } else {
                        "amorph was built without CUDA; rebuild with `--features torch,cuda` against a CUDA libtorch (scripts/peers/libtorch.sh --cuda)"
                    };
                    return Err(TorchError::Device {
                        device: self.to_string(),
                        reason: reason.into(),
                    });
                }
                if i as i64 >= count {
                    return Err(TorchError::Device {
                        device: self.to_string(),
                        reason: format!("only {count} CUDA GPU(s) present"),
                    });
                }
                Ok(tch::Device::Cuda(i))
            }
        }
    }
}

/// Options of a [`SevenNet`] calculator.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SevenNetOptions {
    /// Where the model runs (default the CPU).
    pub device: Device,
    /// libtorch's intra-op threads on the CPU; `None` follows amorph's thread count
    /// (`rayon::current_num_threads()`, i.e. `RAYON_NUM_THREADS` or the cores).
    pub threads: Option<usize>,
}

/// A SevenNet model (SevenNet-0 built in, or any file deployed by `sevenn`'s deploy step) as an
/// amorph [`Calculator`], and as a batch evaluator of many cells in one forward call
/// ([`SevenNet::calculate_batch`]).
///
/// The input graph is amorph's own full neighbour list within the model's cutoff; forces and
/// stress come from autograd of the energy with respect to the edge vectors (see
/// [`crate::graph`]). The model computes in float32; energies, forces and stress are summed in
/// f64.
pub struct SevenNet {
    module: CModule,
    info: ModelInfo,
    device: tch::Device,
    name: String,
}

impl std::fmt::Debug for SevenNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SevenNet")
            .field("name", &self.name)
            .field("device", &self.device)
            .field("cutoff", &self.info.cutoff)
            .finish()
    }
}

impl SevenNet {
    /// SevenNet-0 (11 Jul 2024; the model carried by this crate, from the `sevenn` 0.13.0
    /// wheel, MIT licence).
    pub fn sevennet_0(options: &SevenNetOptions) -> Result<Self> {
        let info = ModelInfo::from_bytes(crate::SEVENNET_0_BYTES)?;
        let device = Self::prepare(options)?;
        let module = CModule::load_data_on_device(
            &mut std::io::Cursor::new(crate::SEVENNET_0_BYTES),
            device,
        )
        .map_err(|e| TorchError::Model {
            model: "SevenNet-0".into(),
            reason: e.to_string(),
        })?;
        Ok(Self::with(module, info, device, "sevennet".into()))
    }

    /// A deployed SevenNet-compatible model file.
    pub fn load(path: &Path, options: &SevenNetOptions) -> Result<Self> {
        let info = ModelInfo::read(path)?;
        let device = Self::prepare(options)?;
        let module = CModule::load_on_device(path, device).map_err(|e| TorchError::Model {
            model: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(Self::with(
            module,
            info,
            device,
            format!("sevennet:{}", path.display()),
        ))
    }

    /// The model named like `--potential`: `None` for SevenNet-0, or a deployed file.
    pub fn from_model(model: Option<&PathBuf>, options: &SevenNetOptions) -> Result<Self> {
        match model {
            None => Self::sevennet_0(options),
            Some(path) => Self::load(path, options),
        }
    }

    fn prepare(options: &SevenNetOptions) -> Result<tch::Device> {
        let device = options.device.to_tch()?;
        let threads = options
            .threads
            .unwrap_or_else(rayon::current_num_threads)
            .max(1);
        tch::set_num_threads(i32::try_from(threads).unwrap_or(i32::MAX));
        // TorchScript's profiling executor re-profiles and re-optimises the graph as input
        // shapes change, and the number of edges changes at every MD step: with it on, a call
        // on a 108-atom melt took 5.9 s instead of 0.86 s (2 threads). SevenNet's LAMMPS pair
        // style turns it off too.
        tch::jit::set_graph_executor_optimize(false);
        Ok(device)
    }

    fn with(mut module: CModule, info: ModelInfo, device: tch::Device, name: String) -> Self {
        module.set_eval();
        SevenNet {
            module,
            info,
            device,
            name,
        }
    }

    /// The model's settings (species, cutoff, version).
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Energy, forces (and stress, per-atom energies as requested) of every cell in one forward
    /// and one backward call over the disjoint union of their graphs. Each result equals the
    /// cell evaluated alone (up to float32 summation order).
    pub fn calculate_batch(
        &mut self,
        cells: &[&Structure],
        request: Request,
    ) -> Result<Vec<Calculation>> {
        if cells.is_empty() {
            return Ok(Vec::new());
        }
        let graph = Graph::build(&self.info, cells)?;
        let (atomic, gradient) = self.forward(&graph)?;
        graph.assemble(&atomic, &gradient, request)
    }

    /// One forward and backward pass: the per-atom energies and ∂E/∂edge_vec.
    fn forward(&self, graph: &Graph) -> Result<(Vec<f64>, Vec<f64>)> {
        let torch = |e: tch::TchError| TorchError::Torch(e.to_string());
        let n = graph.n_atoms() as i64;
        let n_edges = graph.n_edges() as i64;
        let x = Tensor::from_slice(&graph.types).to_device(self.device);
        let edge_index = Tensor::stack(
            &[
                Tensor::from_slice(&graph.sources),
                Tensor::from_slice(&graph.targets),
            ],
            0,
        )
        .to_device(self.device);
        let edge_vec = Tensor::from_slice(&graph.vectors)
            .view([n_edges, 3])
            .to_device(self.device)
            .set_requires_grad(true);
        let num_atoms = Tensor::from_slice(&[n]);
        let input = IValue::GenericDict(vec![
            (IValue::String("x".into()), IValue::Tensor(x)),
            (
                IValue::String("edge_index".into()),
                IValue::Tensor(edge_index),
            ),
            (
                IValue::String("edge_vec".into()),
                IValue::Tensor(edge_vec.shallow_clone()),
            ),
            (
                IValue::String("num_atoms".into()),
                IValue::Tensor(num_atoms.to_device(self.device)),
            ),
            (IValue::String("nlocal".into()), IValue::Tensor(num_atoms)),
        ]);
        let output = self.module.forward_is(&[input]).map_err(torch)?;
        let IValue::GenericDict(entries) = output else {
            return Err(TorchError::Output(
                "the model did not return a dictionary".into(),
            ));
        };
        let get = |key: &str| -> Result<&Tensor> {
            entries
                .iter()
                .find_map(|(k, v)| match (k, v) {
                    (IValue::String(k), IValue::Tensor(t)) if k == key => Some(t),
                    _ => None,
                })
                .ok_or_else(|| TorchError::Output(format!("no tensor '{key}' in its output")))
        };
        let total = get("inferred_total_energy")?;
        let atomic = get("atomic_energy")?;
        let gradient = if n_edges == 0 {
            Vec::new()
        } else {
            let grads =
                Tensor::f_run_backward(&[total.sum(Kind::Float)], &[&edge_vec], false, false)
                    .map_err(torch)?;
            to_f64(&grads[0])?
        };
        Ok((to_f64(atomic)?, gradient))
    }
}

/// A tensor's values as f64, flattened, on the CPU.
fn to_f64(t: &Tensor) -> Result<Vec<f64>> {
    let flat = t
        .f_detach()
        .and_then(|t| t.f_to_device(tch::Device::Cpu))
        .and_then(|t| t.f_to_kind(Kind::Double))
        .and_then(|t| t.f_reshape([-1]))
        .map_err(|e| TorchError::Torch(e.to_string()))?;
    Vec::<f64>::try_from(&flat).map_err(|e| TorchError::Torch(e.to_string()))
}

impl crate::lockstep::BatchCalculator for SevenNet {
    fn name(&self) -> &str {
        &self.name
    }

    fn calculate_batch(
        &mut self,
        cells: &[&Structure],
        request: Request,
    ) -> amorph_core::Result<Vec<Calculation>> {
        Ok(SevenNet::calculate_batch(self, cells, request)?)
    }
}

impl Calculator for SevenNet {
    fn name(&self) -> &str {
        &self.name
    }

    fn calculate(
        &mut self,
        structure: &Structure,
        request: Request,
    ) -> amorph_core::Result<Calculation> {
        let mut out = self.calculate_batch(&[structure], request)?;
        out.pop()
            .ok_or_else(|| amorph_core::Error::calculator(&self.name, "no result"))
    }
}
