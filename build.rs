//! With the `cuda` feature, links libtorch_cuda.so into the `amorph` binary although no symbol
//! of it is referenced: libtorch registers its CUDA backend when that library loads, and the
//! linker's --as-needed would drop it otherwise (`--device cuda` would then find no GPU).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_CUDA").is_some() {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed,-ltorch_cuda,--as-needed");
    }
}
