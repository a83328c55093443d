//! Rebuild when the embedded specs, fixtures or page templates change: `include_dir!` embeds
//! them at compile time, and cargo does not otherwise know they are inputs.
fn main() {
    for dir in ["specs", "fixtures", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
