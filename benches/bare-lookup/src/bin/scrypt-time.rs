//! Prints the mean time of one password hash with Better Auth's scrypt parameters (N = 16384,
//! r = 16, p = 1, 64 bytes), in ms, as the generated code computes it: the scrypt limit of
//! benches/server.sh.

fn main() {
    let params = scrypt::Params::new(14, 16, 1).expect("Better Auth's parameters are valid");
    let mut out = [0u8; 64];
    let hash = |out: &mut [u8; 64]| {
        scrypt::scrypt(b"bench-password-1234", b"0123456789abcdef", &params, out)
            .expect("64 bytes is a valid output length");
    };
    hash(&mut out);
    let started = std::time::Instant::now();
    for _ in 0..10 {
        hash(&mut out);
    }
    println!("{:.2}", started.elapsed().as_secs_f64() * 1000.0 / 10.0);
}
