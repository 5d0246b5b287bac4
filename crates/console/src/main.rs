fn main() {
    leptos::mount::mount_to_body(linli_console::App)
}
